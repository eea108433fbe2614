using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UdcBackup.Agents.Tokens;

/// <summary>
/// The job token's wire format, shared by signer and verifier: JWS compact serialization
/// (<c>base64url(header).base64url(claims).base64url(signature)</c>) with header
/// <c>{"alg":"ES256","typ":"udc-job","kid":...}</c> and an ECDSA P-256 / SHA-256 signature in
/// IEEE P1363 form (r||s) over the first two parts. The key id is the first 16 characters of the
/// base64url SHA-256 of the public key's SubjectPublicKeyInfo.
/// </summary>
public static class JobTokenFormat
{
    /// <summary>The only algorithm accepted.</summary>
    public const string Algorithm = "ES256";

    /// <summary>The token type in the header.</summary>
    public const string Type = "udc-job";

    /// <summary>Claims format version.</summary>
    public const int Version = 1;

    internal static readonly JsonSerializerOptions Json = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Key id of a public key.</summary>
    public static string KeyIdOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }

    internal static string DirectionName(JobDirection direction) => direction == JobDirection.Backup ? "backup" : "restore";

    internal static JobDirection? ParseDirection(string name) => name switch
    {
        "backup" => JobDirection.Backup,
        "restore" => JobDirection.Restore,
        _ => null,
    };
}
