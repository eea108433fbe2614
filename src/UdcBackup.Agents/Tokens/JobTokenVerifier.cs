using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace UdcBackup.Agents.Tokens;

/// <summary>
/// Verifies job tokens on a media agent. Checks, in order: three base64url parts; header is
/// exactly ES256 / udc-job with a trusted key id; signature over header and claims; claims parse
/// strictly (unknown members refused); not expired and not issued in the future beyond the clock
/// skew allowance; audience is this media agent; direction is the one the request asks for;
/// claims are consistent (restore names a snapshot, backup has no approval); and the connecting
/// system (from its mutual TLS certificate) is the one the token allows. The first failed check
/// is returned as a refusal with a reason; nothing throws for a bad token.
/// </summary>
public sealed class JobTokenVerifier
{
    private readonly Dictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);
    private readonly string _audience;
    private readonly TimeProvider _time;
    private readonly TimeSpan _skew;

    /// <param name="trustedPublicKeyPems">Token-signing public keys (PEM) of the controller.</param>
    /// <param name="audience">This media agent's system id.</param>
    /// <param name="time">Clock.</param>
    /// <param name="clockSkew">Allowance for clocks that differ (default 2 minutes).</param>
    public JobTokenVerifier(IEnumerable<string> trustedPublicKeyPems, string audience, TimeProvider? time = null, TimeSpan? clockSkew = null)
    {
        ArgumentNullException.ThrowIfNull(trustedPublicKeyPems);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        foreach (var pem in trustedPublicKeyPems)
        {
            var key = ECDsa.Create();
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new ArgumentException("Token-signing keys are ECDSA P-256", nameof(trustedPublicKeyPems));
            }

            _keys[JobTokenFormat.KeyIdOf(key)] = key;
        }

        if (_keys.Count == 0)
        {
            throw new ArgumentException("At least one trusted token-signing key is needed", nameof(trustedPublicKeyPems));
        }

        _audience = audience;
        _time = time ?? TimeProvider.System;
        _skew = clockSkew ?? TimeSpan.FromMinutes(2);
    }

    /// <summary>Verifies <paramref name="token"/> presented by <paramref name="peerSystemId"/> for a <paramref name="direction"/> stream.</summary>
    public JobTokenVerification Verify(string? token, string peerSystemId, JobDirection direction)
    {
        var parts = token?.Split('.') ?? [];
        if (parts.Length != 3 || parts.Any(p => p.Length == 0 || !Base64Url.IsValid(p)))
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.Malformed, "The job token is not three base64url parts");
        }

        var header = Parse<JobTokenHeader>(parts[0]);
        if (header is null)
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.Malformed, "The job token header is not valid JSON of the expected shape");
        }

        if (header.Algorithm != JobTokenFormat.Algorithm || header.Type != JobTokenFormat.Type)
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.UnsupportedAlgorithm, $"Only {JobTokenFormat.Algorithm} tokens of type {JobTokenFormat.Type} are accepted");
        }

        if (!_keys.TryGetValue(header.KeyId, out var key))
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.UnknownSigningKey, $"The job token was signed with key '{header.KeyId}', which this agent does not trust");
        }

        var signature = Base64Url.DecodeFromChars(parts[2]);
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.BadSignature, "The job token's signature does not match (tampered or forged)");
        }

        var payload = Parse<JobTokenPayload>(parts[1]);
        var parsedDirection = payload is null ? null : JobTokenFormat.ParseDirection(payload.Direction);
        if (payload is null || payload.Version != JobTokenFormat.Version || parsedDirection is null)
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.Malformed, "The job token's claims are not of the expected shape");
        }

        var claims = new JobTokenClaims
        {
            JobId = payload.Job,
            SystemId = payload.Subject,
            MediaAgentId = payload.Audience,
            Direction = parsedDirection.Value,
            SnapshotId = payload.Snapshot,
            Approval = payload.Approval is null ? null : new CrossSystemApproval(payload.Approval.ApprovedBy, payload.Approval.Target),
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(payload.IssuedAt),
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(payload.ExpiresAt),
            Nonce = payload.Nonce,
        };
        return CheckClaims(claims, peerSystemId, direction);
    }

    private JobTokenVerification CheckClaims(JobTokenClaims claims, string peerSystemId, JobDirection direction)
    {
        var now = _time.GetUtcNow();
        if (now > claims.ExpiresAt + _skew)
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.Expired, $"The job token of {claims.JobId} expired at {claims.ExpiresAt:u}");
        }

        if (claims.IssuedAt > now + _skew)
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.NotYetValid, $"The job token of {claims.JobId} is issued in the future ({claims.IssuedAt:u})");
        }

        if (claims.MediaAgentId != _audience)
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.WrongAudience, $"The job token is for media agent '{claims.MediaAgentId}', not '{_audience}'");
        }

        if (claims.Direction != direction)
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.WrongDirection, $"The job token allows a {JobTokenFormat.DirectionName(claims.Direction)}, not a {JobTokenFormat.DirectionName(direction)}");
        }

        var consistent = claims.Direction == JobDirection.Backup
            ? claims.SnapshotId is null && claims.Approval is null
            : !string.IsNullOrEmpty(claims.SnapshotId);
        if (!consistent)
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.InconsistentClaims, "A backup token may not name a snapshot or an approval; a restore token must name a snapshot");
        }

        if (claims.PeerSystemId != peerSystemId)
        {
            return JobTokenVerification.Refuse(JobTokenRefusal.WrongSystem, $"The job token of {claims.JobId} is for system '{claims.PeerSystemId}', presented by '{peerSystemId}'");
        }

        return new JobTokenVerification(claims, null, $"accepted {JobTokenFormat.DirectionName(direction)} of {claims.JobId} for {claims.SystemId}");
    }

    private static T? Parse<T>(string part)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(Base64Url.DecodeFromChars(part), JobTokenFormat.Json);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }
}
