using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace UdcBackup.Archive.Crypto;

/// <summary>
/// One password's access to the repository: the master key sealed (AES-256-GCM) with a key
/// derived from the password by PBKDF2-HMAC-SHA256. PBKDF2 is chosen over scrypt because the BCL
/// implements it natively (a hand-written scrypt would be new security code); the iteration count
/// is stored per file so it can be raised later without breaking old files. A wrong password fails
/// the GCM tag check and is reported as <see cref="ArchiveErrorCode.WrongPassword"/>.
/// </summary>
public sealed class KeyFile
{
    public const int DefaultIterations = 200_000;

    /// <summary>The fewest iterations a key file may have; one with fewer is not opened.</summary>
    public const int MinimumIterations = 1000;

    [JsonPropertyName("version")]
    public int Version { get; init; } = 1;

    [JsonPropertyName("kdf")]
    public string Kdf { get; init; } = "pbkdf2-sha256";

    [JsonPropertyName("iterations")]
    public int Iterations { get; init; }

    [JsonPropertyName("salt")]
    public byte[] Salt { get; init; } = [];

    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; init; }

    [JsonPropertyName("host")]
    public string Host { get; init; } = "";

    /// <summary>The master key sealed with the password key (nonce | ciphertext | tag).</summary>
    [JsonPropertyName("sealed_key")]
    public byte[] SealedKey { get; init; } = [];

    public static KeyFile Create(MasterKey master, string password, int iterations, TimeProvider time)
    {
        var salt = RandomNumberGenerator.GetBytes(32);
        using var wrapping = new MasterKey(Derive(password, salt, iterations));
        var raw = master.Export();
        try
        {
            return new KeyFile
            {
                Iterations = iterations,
                Salt = salt,
                Created = time.GetUtcNow(),
                Host = Environment.MachineName,
                SealedKey = wrapping.Seal(raw),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>Unwraps the master key, or throws <see cref="ArchiveException"/> for a wrong password.</summary>
    public MasterKey Unlock(string password)
    {
        if (Kdf != "pbkdf2-sha256" || Iterations < MinimumIterations || Salt.Length < 16)
        {
            throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"Key file uses an unsupported or invalid key derivation ({Kdf}, {Iterations} iterations).");
        }

        using var wrapping = new MasterKey(Derive(password, Salt, Iterations));
        byte[] raw;
        try
        {
            raw = wrapping.Open(SealedKey);
        }
        catch (CryptographicException)
        {
            throw new ArchiveException(ArchiveErrorCode.WrongPassword, "Wrong password: no key of this repository opens with it.");
        }

        try
        {
            return new MasterKey(raw);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, MasterKey.KeySize);
}
