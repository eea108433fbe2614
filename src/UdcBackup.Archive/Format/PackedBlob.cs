using System.Buffers.Binary;

namespace UdcBackup.Archive.Format;

/// <summary>
/// Where one blob sits inside a pack file, as recorded in the pack's header and in index files.
/// <see cref="Length"/> is the stored (sealed) length; <see cref="RawLength"/> the plaintext length.
/// </summary>
public readonly record struct PackedBlob(BlobId Id, BlobType Type, bool Compressed, uint Offset, uint Length, uint RawLength)
{
    /// <summary>Bytes of one entry in a pack header: flags, length, raw length, id.</summary>
    public const int HeaderEntrySize = 1 + 4 + 4 + BlobId.Size;

    /// <summary>Bytes of one entry in an index file: the header entry plus the offset.</summary>
    public const int IndexEntrySize = HeaderEntrySize + 4;

    private const byte CompressedFlag = 0x80;

    public byte Flags => (byte)((byte)Type | (Compressed ? CompressedFlag : 0));

    public void WriteHeaderEntry(Span<byte> destination)
    {
        destination[0] = Flags;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[1..], Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[5..], RawLength);
        Id.Write(destination[9..]);
    }

    public static PackedBlob ReadHeaderEntry(ReadOnlySpan<byte> source, uint offset)
    {
        var flags = source[0];
        var type = (BlobType)(flags & 0x7F);
        if (type is not (BlobType.Data or BlobType.Tree))
        {
            throw new InvalidDataException($"Unknown blob type {flags & 0x7F}.");
        }

        return new PackedBlob(
            BlobId.Read(source[9..]),
            type,
            (flags & CompressedFlag) != 0,
            offset,
            BinaryPrimitives.ReadUInt32LittleEndian(source[1..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[5..]));
    }
}
