using System.Buffers;
using System.Text;
using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Snapshots;

/// <summary>
/// The binary entry stream of a snapshot (see docs/design/archive-format.md, "Tree"): the header
/// "UDCT" + version byte, then one record per entry, then a 0x00 end byte. Integers are LEB128
/// varints (signed ones zigzag-encoded), strings are varint length + UTF-8. Binary rather than JSON
/// because the parent's stream is loaded by every backup and must parse in milliseconds.
/// </summary>
public static class TreeCodec
{
    private const byte Version = 1;
    private const byte FlagSparse = 1;
    internal const byte FlagChanged = 2;

    /// <summary>Bytes of the stream header ("UDCT" and the version) before the first record.</summary>
    internal const int HeaderLength = 5;

    private static readonly IReadOnlyDictionary<string, byte[]> NoXattrs = System.Collections.ObjectModel.ReadOnlyDictionary<string, byte[]>.Empty;

    public static void WriteHeader(ArrayBufferWriter<byte> output)
    {
        output.Write("UDCT"u8);
        output.Write([Version]);
    }

    public static void WriteEnd(ArrayBufferWriter<byte> output) => output.Write([(byte)0]);

    public static void Write(ArrayBufferWriter<byte> output, ArchiveEntry entry)
    {
        var w = new VarintWriter(output);
        w.Byte((byte)entry.Type);
        w.String(entry.Path);
        w.Unsigned(entry.Mode);
        w.Unsigned(entry.Uid);
        w.Unsigned(entry.Gid);
        w.Signed(entry.ModifiedNs);
        w.Unsigned((ulong)entry.Size);
        w.Unsigned(entry.Inode);
        w.Unsigned(entry.Device);
        w.Signed(entry.ChangedNs);
        w.Byte((byte)((entry.Sparse ? FlagSparse : 0) | (entry.ChangedDuringBackup ? FlagChanged : 0)));
        w.String(entry.LinkTarget ?? "");
        w.Unsigned(entry.RdevMajor);
        w.Unsigned(entry.RdevMinor);
        w.Unsigned((ulong)entry.Xattrs.Count);
        if (entry.Xattrs.Count > 0)
        {
            foreach (var (name, value) in entry.Xattrs.OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                w.String(name);
                w.Bytes(value);
            }
        }

        w.Unsigned((ulong)entry.Content.Count);
        Span<byte> id = stackalloc byte[BlobId.Size];
        foreach (var chunk in entry.Content)
        {
            w.Unsigned((ulong)chunk.Offset);
            w.Unsigned((ulong)chunk.Length);
            chunk.Id.Write(id);
            output.Write(id);
        }
    }

    /// <summary>Decodes a whole entry stream.</summary>
    /// <exception cref="InvalidDataException">The stream is malformed.</exception>
    public static List<ArchiveEntry> ReadAll(ReadOnlySpan<byte> stream)
    {
        CheckHeader(stream);
        var entries = new List<ArchiveEntry>();
        for (var position = HeaderLength; TryReadNext(stream, ref position, out var record);)
        {
            entries.Add(ReadEntry(stream, record));
        }

        return entries;
    }

    /// <summary>
    /// Reads the record at <paramref name="position"/> and moves past it; false at the end marker,
    /// which must be the stream's last byte.
    /// </summary>
    /// <exception cref="InvalidDataException">The record is malformed, or bytes follow the end marker.</exception>
    internal static bool TryReadNext(ReadOnlySpan<byte> stream, ref int position, out TreeRecord record)
    {
        record = ReadRecord(stream, position);
        if (record.Type == 0)
        {
            return position + 1 == stream.Length ? false : throw new InvalidDataException("tree stream has bytes after its end");
        }

        position += record.Length;
        return true;
    }

    /// <summary>Decodes one entry record at the start of <paramref name="record"/>; <paramref name="consumed"/> says how many bytes it used.</summary>
    public static ArchiveEntry ReadSingle(ReadOnlySpan<byte> record, out int consumed)
    {
        var read = ReadRecord(record, 0);
        consumed = read.Type == 0 ? throw new InvalidDataException("tree stream has unknown entry type 0") : read.Length;
        return ReadEntry(record, read);
    }

    /// <summary>Throws unless <paramref name="stream"/> starts with the entry stream's header ("UDCT", version).</summary>
    /// <exception cref="InvalidDataException">The header is missing or of another version.</exception>
    internal static void CheckHeader(ReadOnlySpan<byte> stream)
    {
        if (stream.Length < 6 || !stream[..4].SequenceEqual("UDCT"u8) || stream[4] != Version)
        {
            throw new InvalidDataException("tree stream has an unknown header");
        }
    }

    /// <summary>
    /// Reads the record at <paramref name="offset"/> of a whole entry stream in place (nothing is
    /// allocated); type 0 there means the end marker and gives a record of length 1 and no type.
    /// </summary>
    /// <exception cref="InvalidDataException">The record is malformed or truncated.</exception>
    internal static TreeRecord ReadRecord(ReadOnlySpan<byte> stream, int offset)
    {
        var r = new VarintReader(stream[offset..]);
        var type = r.Byte();
        if (type == 0)
        {
            return new TreeRecord { Offset = offset, Length = 1 };
        }

        if (type > (byte)EntryType.Socket)
        {
            throw new InvalidDataException($"tree stream has unknown entry type {type}");
        }

        var pathLength = checked((int)r.Unsigned());
        var pathOffset = offset + r.Position;
        r.Fixed(pathLength);
        var mode = (uint)r.Unsigned();
        var uid = (uint)r.Unsigned();
        var gid = (uint)r.Unsigned();
        var mtime = r.Signed();
        var size = (long)r.Unsigned();
        var inode = r.Unsigned();
        var device = r.Unsigned();
        var ctime = r.Signed();
        var flags = r.Byte();
        var linkLength = checked((int)r.Unsigned());
        var linkOffset = offset + r.Position;
        r.Fixed(linkLength);
        var rdevMajor = (uint)r.Unsigned();
        var rdevMinor = (uint)r.Unsigned();
        var xattrsOffset = offset + r.Position;
        var xattrCount = r.Unsigned();
        for (ulong i = 0; i < xattrCount; i++)
        {
            r.Fixed(checked((int)r.Unsigned()));
            r.Fixed(checked((int)r.Unsigned()));
        }

        var chunkCount = checked((int)r.Unsigned());
        var chunksOffset = offset + r.Position;
        for (var i = 0; i < chunkCount; i++)
        {
            r.Unsigned();
            r.Unsigned();
            r.Fixed(BlobId.Size);
        }

        return new TreeRecord
        {
            Offset = offset,
            Length = r.Position,
            Type = (EntryType)type,
            PathOffset = pathOffset,
            PathLength = pathLength,
            Mode = mode,
            Uid = uid,
            Gid = gid,
            ModifiedNs = mtime,
            Size = size,
            Inode = inode,
            Device = device,
            ChangedNs = ctime,
            Flags = flags,
            LinkOffset = linkOffset,
            LinkLength = linkLength,
            XattrsOffset = xattrsOffset,
            RdevMajor = rdevMajor,
            RdevMinor = rdevMinor,
            ChunkCount = chunkCount,
            ChunksOffset = chunksOffset,
        };
    }

    /// <summary>The blob ids of a record read by <see cref="ReadRecord"/>, in order, for a presence check.</summary>
    internal static bool AllChunks(ReadOnlySpan<byte> stream, TreeRecord record, Func<BlobId, bool> predicate)
    {
        var r = new VarintReader(stream[record.ChunksOffset..]);
        for (var i = 0; i < record.ChunkCount; i++)
        {
            r.Unsigned();
            r.Unsigned();
            if (!predicate(BlobId.Read(r.Fixed(BlobId.Size))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Builds the entry of a record read by <see cref="ReadRecord"/> from the same stream.</summary>
    private static ArchiveEntry ReadEntry(ReadOnlySpan<byte> stream, TreeRecord record)
    {
        // Most entries have no attributes: they share one empty read-only map instead of a new one each.
        IReadOnlyDictionary<string, byte[]> xattrs = NoXattrs;
        var r = new VarintReader(stream[record.XattrsOffset..]);
        var xattrCount = (int)r.Unsigned();
        if (xattrCount > 0)
        {
            var map = new Dictionary<string, byte[]>(Math.Min(xattrCount, 64), StringComparer.Ordinal);
            for (var i = 0; i < xattrCount; i++)
            {
                var name = r.String();
                map[name] = r.Bytes();
            }

            xattrs = map;
        }

        var chunks = record.ChunkCount == 0 ? [] : new ChunkRef[record.ChunkCount];
        r = new VarintReader(stream[record.ChunksOffset..]);
        for (var i = 0; i < chunks.Length; i++)
        {
            var offset = (long)r.Unsigned();
            var length = (int)r.Unsigned();
            chunks[i] = new ChunkRef(offset, length, BlobId.Read(r.Fixed(BlobId.Size)));
        }

        return new ArchiveEntry
        {
            Type = record.Type,
            Path = Encoding.UTF8.GetString(stream.Slice(record.PathOffset, record.PathLength)),
            Mode = record.Mode,
            Uid = record.Uid,
            Gid = record.Gid,
            ModifiedNs = record.ModifiedNs,
            Size = record.Size,
            Inode = record.Inode,
            Device = record.Device,
            ChangedNs = record.ChangedNs,
            Sparse = (record.Flags & FlagSparse) != 0,
            ChangedDuringBackup = (record.Flags & FlagChanged) != 0,
            LinkTarget = record.LinkLength == 0 ? null : Encoding.UTF8.GetString(stream.Slice(record.LinkOffset, record.LinkLength)),
            RdevMajor = record.RdevMajor,
            RdevMinor = record.RdevMinor,
            Xattrs = xattrs,
            Content = chunks,
        };
    }

    private readonly ref struct VarintWriter(ArrayBufferWriter<byte> output)
    {
        public void Byte(byte value) => output.Write([value]);

        public void Unsigned(ulong value)
        {
            var span = output.GetSpan(10);
            var n = 0;
            while (value >= 0x80)
            {
                span[n++] = (byte)(value | 0x80);
                value >>= 7;
            }

            span[n++] = (byte)value;
            output.Advance(n);
        }

        public void Signed(long value) => Unsigned((ulong)((value << 1) ^ (value >> 63)));

        public void Bytes(ReadOnlySpan<byte> value)
        {
            Unsigned((ulong)value.Length);
            output.Write(value);
        }

        public void String(string value)
        {
            var count = Encoding.UTF8.GetByteCount(value);
            Unsigned((ulong)count);
            var span = output.GetSpan(count);
            Encoding.UTF8.GetBytes(value, span);
            output.Advance(count);
        }
    }

    private ref struct VarintReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly int Position => _position;

        public byte Byte() => _position < _data.Length ? _data[_position++] : throw Truncated();

        public ulong Unsigned()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return result;
                }
            }

            throw new InvalidDataException("tree stream has an overlong varint");
        }

        public long Signed()
        {
            var raw = Unsigned();
            return (long)(raw >> 1) ^ -(long)(raw & 1);
        }

        public ReadOnlySpan<byte> Fixed(int length)
        {
            if (length < 0 || _position + length > _data.Length)
            {
                throw Truncated();
            }

            var result = _data.Slice(_position, length);
            _position += length;
            return result;
        }

        public byte[] Bytes() => Fixed(checked((int)Unsigned())).ToArray();

        public string String() => Encoding.UTF8.GetString(Fixed(checked((int)Unsigned())));

        private static InvalidDataException Truncated() => new("tree stream is truncated");
    }
}
