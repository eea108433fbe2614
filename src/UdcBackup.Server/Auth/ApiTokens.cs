using System.Security.Cryptography;
using System.Text;

namespace UdcBackup.Server.Auth;

/// <summary>
/// API and session tokens: <c>udc_</c> followed by 32 random bytes in base64url (256 bits, so a
/// guess is hopeless and a plain SHA-256 is a sound way to store them: unlike a password there
/// is nothing to brute-force). Only the hash is stored; the token itself is shown once.
/// </summary>
public static class ApiTokens
{
    /// <summary>Every token starts with this, so a leaked one is recognisable in logs and scanners.</summary>
    public const string Prefix = "udc_";

    /// <summary>A new random token.</summary>
    public static string Create() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of a token: lowercase hex SHA-256 of its text.</summary>
    public static string HashOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>A random password for the bootstrap admin (24 characters of base64url).</summary>
    public static string CreatePassword() => Base64Url(RandomNumberGenerator.GetBytes(18));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
