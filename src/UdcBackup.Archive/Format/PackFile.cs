using System.Buffers.Binary;
using System.Security.Cryptography;
using UdcBackup.Archive.Crypto;

namespace UdcBackup.Archive.Format;

/// <summary>
/// The pack file layout: <c>blob* | sealed header | uint32 LE sealed-header length</c>. Blobs are
/// stored back to back from offset 0; the header (magic "UDCP", version 1, uint32 count, then one
/// <see cref="PackedBlob.HeaderEntrySize"/>-byte entry per blob in file order) is sealed with the
/// master key, so a pack describes itself and can be re-indexed without any index file.
/// </summary>
public static class PackFile
{
    public static ReadOnlySpan<byte> Magic => "UDCP"u8;

    public const byte Version = 1;

    /// <summary>Serializes and seals the header for <paramref name="blobs"/>, trailing length included.</summary>
    public static byte[] BuildTrailer(IReadOnlyList<PackedBlob> blobs, MasterKey key)
    {
        var plain = new byte[4 + 1 + 4 + (blobs.Count * PackedBlob.HeaderEntrySize)];
        Magic.CopyTo(plain);
        plain[4] = Version;
        BinaryPrimitives.WriteUInt32LittleEndian(plain.AsSpan(5), (uint)blobs.Count);
        for (var i = 0; i < blobs.Count; i++)
        {
            blobs[i].WriteHeaderEntry(plain.AsSpan(9 + (i * PackedBlob.HeaderEntrySize)));
        }

        var trailer = new byte[plain.Length + MasterKey.Overhead + 4];
        var sealedLength = key.Seal(plain, trailer);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(sealedLength), (uint)sealedLength);
        return trailer;
    }

    /// <summary>
    /// The format-2 pack id: SHA-256 of the trailer (the sealed header and its 4-byte length, the
    /// file's last bytes). The header's random nonce makes it unique; it lists every blob's id and
    /// length under the GCM tag, and every blob is sealed with its id, so the name needs no hash
    /// pass over the blobs.
    /// </summary>
    public static BlobId IdOfTrailer(ReadOnlySpan<byte> trailer) => BlobId.Hash(trailer);

    /// <summary>Reads the trailer (sealed header and its length) of the pack at <paramref name="path"/>, unchecked.</summary>
    /// <exception cref="InvalidDataException">The pack is too short or its header length is impossible.</exception>
    public static byte[] ReadTrailer(string path)
    {
        using var handle = File.OpenHandle(path);
        var size = RandomAccess.GetLength(handle);
        var sealedLength = ReadSealedLength(handle, size, path);
        var trailer = new byte[sealedLength + 4];
        if (RandomAccess.Read(handle, trailer, size - trailer.Length) != trailer.Length)
        {
            throw new InvalidDataException($"pack {Path.GetFileName(path)} is truncated");
        }

        return trailer;
    }

    /// <summary>Reads and checks the header of the pack at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The pack is truncated, damaged or not ours.</exception>
    public static List<PackedBlob> ReadHeader(string path, MasterKey key)
    {
        using var handle = File.OpenHandle(path);
        var size = RandomAccess.GetLength(handle);
        var sealedLength = ReadSealedLength(handle, size, path);
        var sealedHeader = new byte[sealedLength];
        RandomAccess.Read(handle, sealedHeader, size - 4 - sealedLength);
        byte[] plain;
        try
        {
            plain = key.Open(sealedHeader);
        }
        catch (CryptographicException)
        {
            throw new InvalidDataException($"pack {Path.GetFileName(path)} header fails authentication");
        }

        return ParseHeader(plain, size - 4 - sealedLength, Path.GetFileName(path));
    }

    private static uint ReadSealedLength(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long size, string path)
    {
        if (size < 4 + MasterKey.Overhead + 9)
        {
            throw new InvalidDataException($"pack {Path.GetFileName(path)} is too short ({size} bytes)");
        }

        Span<byte> lengthBytes = stackalloc byte[4];
        RandomAccess.Read(handle, lengthBytes, size - 4);
        var sealedLength = BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (sealedLength > size - 4 || sealedLength < MasterKey.Overhead + 9)
        {
            throw new InvalidDataException($"pack {Path.GetFileName(path)} has an invalid header length {sealedLength}");
        }

        return sealedLength;
    }

    /// <summary>Parses a decrypted header and checks that the blobs exactly fill <paramref name="dataLength"/>.</summary>
    public static List<PackedBlob> ParseHeader(ReadOnlySpan<byte> plain, long dataLength, string name)
    {
        if (plain.Length < 9 || !plain[..4].SequenceEqual(Magic) || plain[4] != Version)
        {
            throw new InvalidDataException($"pack {name} has an unknown header format");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(plain[5..]);
        if (plain.Length != 9 + ((long)count * PackedBlob.HeaderEntrySize))
        {
            throw new InvalidDataException($"pack {name} header length does not match its entry count");
        }

        var blobs = new List<PackedBlob>((int)count);
        long offset = 0;
        for (var i = 0; i < count; i++)
        {
            var blob = PackedBlob.ReadHeaderEntry(plain.Slice(9 + (i * PackedBlob.HeaderEntrySize)), checked((uint)offset));
            blobs.Add(blob);
            offset += blob.Length;
        }

        if (offset != dataLength)
        {
            throw new InvalidDataException($"pack {name} blobs cover {offset} bytes but the data section has {dataLength}");
        }

        return blobs;
    }
}
