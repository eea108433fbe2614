using System.Buffers.Binary;

namespace UdcBackup.Archive.Format;

/// <summary>
/// The plaintext of an index file: magic "UDCI", version 1, uint32 pack count, then per pack its
/// 32-byte id, a uint32 blob count and one <see cref="PackedBlob.IndexEntrySize"/>-byte entry per
/// blob (the pack header entry followed by its uint32 offset). The file on disk is this plaintext
/// sealed with the master key and named by the SHA-256 of the sealed bytes.
/// </summary>
public static class IndexFile
{
    public static ReadOnlySpan<byte> Magic => "UDCI"u8;

    public const byte Version = 1;

    public static byte[] Encode(IReadOnlyCollection<(BlobId Pack, IReadOnlyList<PackedBlob> Blobs)> packs)
    {
        var size = 9 + packs.Sum(p => BlobId.Size + 4 + (p.Blobs.Count * PackedBlob.IndexEntrySize));
        var plain = new byte[size];
        Magic.CopyTo(plain);
        plain[4] = Version;
        BinaryPrimitives.WriteUInt32LittleEndian(plain.AsSpan(5), (uint)packs.Count);
        var position = 9;
        foreach (var (pack, blobs) in packs)
        {
            pack.Write(plain.AsSpan(position));
            BinaryPrimitives.WriteUInt32LittleEndian(plain.AsSpan(position + BlobId.Size), (uint)blobs.Count);
            position += BlobId.Size + 4;
            foreach (var blob in blobs)
            {
                blob.WriteHeaderEntry(plain.AsSpan(position));
                BinaryPrimitives.WriteUInt32LittleEndian(plain.AsSpan(position + PackedBlob.HeaderEntrySize), blob.Offset);
                position += PackedBlob.IndexEntrySize;
            }
        }

        return plain;
    }

    public static List<(BlobId Pack, List<PackedBlob> Blobs)> Decode(ReadOnlySpan<byte> plain, string name)
    {
        if (plain.Length < 9 || !plain[..4].SequenceEqual(Magic) || plain[4] != Version)
        {
            throw new InvalidDataException($"index {name} has an unknown format");
        }

        var packCount = BinaryPrimitives.ReadUInt32LittleEndian(plain[5..]);
        var result = new List<(BlobId, List<PackedBlob>)>((int)Math.Min(packCount, 1 << 16));
        var position = 9;
        for (var p = 0; p < packCount; p++)
        {
            if (position + BlobId.Size + 4 > plain.Length)
            {
                throw new InvalidDataException($"index {name} is truncated");
            }

            var pack = BlobId.Read(plain[position..]);
            var count = BinaryPrimitives.ReadUInt32LittleEndian(plain[(position + BlobId.Size)..]);
            position += BlobId.Size + 4;
            if (position + ((long)count * PackedBlob.IndexEntrySize) > plain.Length)
            {
                throw new InvalidDataException($"index {name} is truncated");
            }

            var blobs = new List<PackedBlob>((int)count);
            for (var i = 0; i < count; i++)
            {
                var offset = BinaryPrimitives.ReadUInt32LittleEndian(plain[(position + PackedBlob.HeaderEntrySize)..]);
                blobs.Add(PackedBlob.ReadHeaderEntry(plain[position..], offset));
                position += PackedBlob.IndexEntrySize;
            }

            result.Add((pack, blobs));
        }

        if (position != plain.Length)
        {
            throw new InvalidDataException($"index {name} has trailing bytes");
        }

        return result;
    }
}
