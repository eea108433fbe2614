using System.Buffers.Binary;
using System.Security.Cryptography;

namespace UdcBackup.Archive.Format;

/// <summary>
/// A 32-byte digest naming a blob (of its plaintext: SHA-256 up to format 2, BLAKE3 from format 3,
/// see <see cref="Repository.RepositoryConfig.BlobIdOf"/>), a pack or a snapshot (SHA-256 in every format).
/// Held as four words so dictionary lookups of millions of ids stay cheap; printed as lowercase hex.
/// </summary>
public readonly record struct BlobId(ulong A, ulong B, ulong C, ulong D)
{
    public const int Size = 32;

    public static BlobId Read(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));

    /// <summary>The SHA-256 of <paramref name="data"/>.</summary>
    public static BlobId Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        SHA256.HashData(data, digest);
        return Read(digest);
    }

    /// <summary>The BLAKE3 of <paramref name="data"/>.</summary>
    public static BlobId HashBlake3(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        Blake3.Hash(data, digest);
        return Read(digest);
    }

    public static BlobId Parse(string hex)
    {
        if (hex.Length != Size * 2)
        {
            throw new FormatException($"'{hex}' is not a 64-character hex id.");
        }

        return Read(Convert.FromHexString(hex));
    }

    public static bool TryParse(string hex, out BlobId id)
    {
        id = default;
        if (hex.Length != Size * 2 || !hex.All(Uri.IsHexDigit))
        {
            return false;
        }

        id = Parse(hex);
        return true;
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, A);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], D);
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        Write(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The first 8 hex characters, as shown in listings.</summary>
    public string ShortHex => ToString()[..8];
}
