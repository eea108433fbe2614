using System.Buffers;
using System.Text;
using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Snapshots;

/// <summary>
/// A parent snapshot's entry stream kept encoded, with a hash table from path to record offset.
/// A backup looks its entries up by path: <see cref="TryMatch"/> compares a fresh stat with the
/// record in place and, when every encoded field would come out the same, hands back the record
/// so its bytes are copied into the new tree as they are. Nothing of the parent is decoded unless
/// an entry changed (<see cref="Decode"/>), which keeps a no-change backup from building and
/// re-encoding tens of thousands of entry objects. A malformed stream is rejected whole by
/// <see cref="Parse"/>.
/// </summary>
internal sealed class ParentTree
{
    private const int StackPathBytes = 512;

    private readonly byte[] _stream;
    private readonly int[] _offsets;
    private readonly int[] _hashes;
    private readonly int[] _next;
    private readonly int[] _buckets;

    private ParentTree(byte[] stream, List<int> offsets, List<int> hashes)
    {
        _stream = stream;
        _offsets = [.. offsets];
        _hashes = [.. hashes];
        _next = new int[_offsets.Length];
        _buckets = new int[Math.Max(1, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, _offsets.Length * 2)))];
        for (var i = 0; i < _offsets.Length; i++)
        {
            // Bucket slots hold index + 1 so that 0 means empty.
            var bucket = _hashes[i] & (_buckets.Length - 1);
            _next[i] = _buckets[bucket];
            _buckets[bucket] = i + 1;
        }
    }

    public static ParentTree Empty { get; } = new([], [], []);

    public int Count => _offsets.Length;

    /// <summary>Indexes a whole entry stream (header, records, end marker).</summary>
    /// <exception cref="InvalidDataException">The stream is malformed.</exception>
    public static ParentTree Parse(byte[] stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        TreeCodec.CheckHeader(stream);

        var offsets = new List<int>();
        var hashes = new List<int>();
        for (var position = TreeCodec.HeaderLength; TreeCodec.TryReadNext(stream, ref position, out var record);)
        {
            offsets.Add(record.Offset);
            hashes.Add(Hash(stream.AsSpan(record.PathOffset, record.PathLength)));
        }

        return new ParentTree(stream, offsets, hashes);
    }

    /// <summary>The record stored for <paramref name="path"/>, if the parent has one.</summary>
    public bool TryFind(string path, out TreeRecord record)
    {
        ArgumentNullException.ThrowIfNull(path);
        record = default;
        if (_offsets.Length == 0)
        {
            return false;
        }

        var max = Encoding.UTF8.GetMaxByteCount(path.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= StackPathBytes ? stackalloc byte[StackPathBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var key = buffer[..Encoding.UTF8.GetBytes(path, buffer)];
            var hash = Hash(key);
            for (var slot = _buckets[hash & (_buckets.Length - 1)]; slot != 0; slot = _next[slot - 1])
            {
                if (_hashes[slot - 1] != hash)
                {
                    continue;
                }

                var candidate = TreeCodec.ReadRecord(_stream, _offsets[slot - 1]);
                if (_stream.AsSpan(candidate.PathOffset, candidate.PathLength).SequenceEqual(key))
                {
                    record = candidate;
                    return true;
                }
            }

            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// True when the parent's record for <paramref name="header"/>'s path is byte for byte what the
    /// new tree would hold for it: same type (not a hardlink), permission bits, owner, times, size,
    /// inode, device and device numbers, not flagged as changed while read, and for a file every
    /// chunk still <paramref name="stored"/>. <paramref name="header"/> is a fresh stat with no
    /// content, attributes or link target read yet; those are taken from the parent, which is
    /// sound because changing any of them changes the ctime (a symlink's target never changes
    /// without a new inode).
    /// </summary>
    public bool TryMatch(ArchiveEntry header, Func<BlobId, bool> stored, out TreeRecord record)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(stored);
        if (header.Type == EntryType.Hardlink || header.LinkTarget is not null || header.Content.Count != 0 || header.Xattrs.Count != 0
            || header.Sparse || header.ChangedDuringBackup || !TryFind(header.Path, out record))
        {
            record = default;
            return false;
        }

        var same = record.Type == header.Type && record.Mode == header.Mode && record.Uid == header.Uid && record.Gid == header.Gid
            && record.ModifiedNs == header.ModifiedNs && record.Size == header.Size && record.Inode == header.Inode
            && record.Device == header.Device && record.ChangedNs == header.ChangedNs && record.RdevMajor == header.RdevMajor
            && record.RdevMinor == header.RdevMinor && (record.Flags & TreeCodec.FlagChanged) == 0
            && (record.Type == EntryType.Symlink || record.LinkLength == 0)
            && (record.Type == EntryType.File ? TreeCodec.AllChunks(_stream, record, stored) : record.ChunkCount == 0);
        return same;
    }

    /// <summary>The encoded bytes of a record found by <see cref="TryFind"/> or <see cref="TryMatch"/>.</summary>
    public ReadOnlySpan<byte> Bytes(TreeRecord record) => _stream.AsSpan(record.Offset, record.Length);

    /// <summary>Decodes a record found by <see cref="TryFind"/> into an entry.</summary>
    public ArchiveEntry Decode(TreeRecord record) => TreeCodec.ReadSingle(Bytes(record), out _);

    private static int Hash(ReadOnlySpan<byte> path)
    {
        var hash = default(HashCode);
        hash.AddBytes(path);
        return hash.ToHashCode();
    }
}
