using System.Security.Cryptography;

namespace UdcBackup.Archive.Crypto;

/// <summary>
/// The repository's 256-bit data key. Every encrypted object is framed as
/// <c>nonce (12 random bytes) | ciphertext | GCM tag (16 bytes)</c>, so a sealed object is
/// <see cref="Overhead"/> bytes longer than its plaintext. A random nonce per object keeps the
/// GCM nonce-reuse bound (2^32 objects per key) far above any repository's blob count.
/// Opening a damaged or foreign object throws <see cref="AuthenticationTagMismatchException"/>.
/// </summary>
public sealed class MasterKey : IDisposable
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = NonceSize + TagSize;

    private readonly byte[] _key;
    private readonly ThreadLocal<AesGcm> _cipher;

    public MasterKey(byte[] key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A master key has {KeySize} bytes.", nameof(key));
        }

        _key = (byte[])key.Clone();
        _cipher = new ThreadLocal<AesGcm>(() => new AesGcm(_key, TagSize), trackAllValues: true);
    }

    /// <summary>A fresh random key.</summary>
    public static MasterKey Create() => new(RandomNumberGenerator.GetBytes(KeySize));

    /// <summary>The raw key bytes, for wrapping into a key file only.</summary>
    internal byte[] Export() => (byte[])_key.Clone();

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/> (length + <see cref="Overhead"/>).</summary>
    public int Seal(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        var total = plaintext.Length + Overhead;
        if (destination.Length < total)
        {
            throw new ArgumentException("Destination too small for the sealed object.", nameof(destination));
        }

        var nonce = destination[..NonceSize];
        RandomNumberGenerator.Fill(nonce);
        _cipher.Value!.Encrypt(nonce, plaintext, destination.Slice(NonceSize, plaintext.Length), destination.Slice(NonceSize + plaintext.Length, TagSize));
        return total;
    }

    /// <summary>
    /// Seals in place: <paramref name="buffer"/> holds the plaintext at offset <see cref="NonceSize"/>
    /// and room for the tag after it; returns the sealed length. Saves a copy per blob.
    /// </summary>
    public int SealInPlace(Span<byte> buffer, int plaintextLength) => SealInPlace(buffer, plaintextLength, []);

    /// <summary>
    /// <see cref="SealInPlace(Span{byte}, int)"/> with <paramref name="associatedData"/> bound into the
    /// tag: opening succeeds only with the same associated data (format 2 binds each blob's id).
    /// </summary>
    public int SealInPlace(Span<byte> buffer, int plaintextLength, ReadOnlySpan<byte> associatedData)
    {
        var total = plaintextLength + Overhead;
        if (buffer.Length < total)
        {
            throw new ArgumentException("Buffer too small for the sealed object.", nameof(buffer));
        }

        var nonce = buffer[..NonceSize];
        RandomNumberGenerator.Fill(nonce);
        var text = buffer.Slice(NonceSize, plaintextLength);
        _cipher.Value!.Encrypt(nonce, text, text, buffer.Slice(NonceSize + plaintextLength, TagSize), associatedData);
        return total;
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var result = new byte[plaintext.Length + Overhead];
        Seal(plaintext, result);
        return result;
    }

    /// <summary>Decrypts and authenticates a sealed object into <paramref name="destination"/>.</summary>
    public int Open(ReadOnlySpan<byte> sealedObject, Span<byte> destination) => Open(sealedObject, destination, []);

    /// <summary>Opens an object sealed with <paramref name="associatedData"/>; other associated data fails authentication.</summary>
    public int Open(ReadOnlySpan<byte> sealedObject, Span<byte> destination, ReadOnlySpan<byte> associatedData)
    {
        if (sealedObject.Length < Overhead)
        {
            throw new AuthenticationTagMismatchException("Sealed object is shorter than its framing.");
        }

        var length = sealedObject.Length - Overhead;
        _cipher.Value!.Decrypt(
            sealedObject[..NonceSize],
            sealedObject.Slice(NonceSize, length),
            sealedObject.Slice(NonceSize + length, TagSize),
            destination[..length],
            associatedData);
        return length;
    }

    public byte[] Open(ReadOnlySpan<byte> sealedObject)
    {
        var result = new byte[Math.Max(0, sealedObject.Length - Overhead)];
        Open(sealedObject, result);
        return result;
    }

    public void Dispose()
    {
        foreach (var cipher in _cipher.Values)
        {
            cipher.Dispose();
        }

        _cipher.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }
}
