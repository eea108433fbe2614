using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace UdcBackup.Server.Auth;

/// <summary>
/// Operator passwords as PBKDF2-HMAC-SHA256 with a random 16-byte salt per user and
/// <see cref="Iterations"/> rounds (OWASP's figure for this PRF), stored as
/// <c>pbkdf2-sha256$ROUNDS$SALT$HASH</c> (base64) so the round count can grow later without
/// breaking stored hashes. Verification recomputes with the stored salt and rounds and compares
/// in constant time; a malformed stored value verifies as false, never throws.
/// </summary>
public static class PasswordHasher
{
    /// <summary>PBKDF2 rounds for new hashes.</summary>
    public const int Iterations = 600_000;

    /// <summary>The shortest password accepted for a user.</summary>
    public const int MinimumLength = 12;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A fresh salted hash of <paramref name="password"/>.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, Iterations);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/> (constant-time compare).</summary>
    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rounds) || rounds < 1)
        {
            return false;
        }

        byte[] salt;
        byte[] expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Derive(password, salt, rounds, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>
    /// Spends the same work as a verification without a stored hash, so a sign-in with an
    /// unknown user name takes as long as one with a wrong password.
    /// </summary>
    public static void SpendEqualTime(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        Derive(password, new byte[SaltBytes], Iterations);
    }

    private static byte[] Derive(string password, byte[] salt, int rounds, int length = HashBytes) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, rounds, HashAlgorithmName.SHA256, length);
}
