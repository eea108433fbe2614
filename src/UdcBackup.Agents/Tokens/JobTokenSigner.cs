using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using UdcBackup.Agents.Identity;

namespace UdcBackup.Agents.Tokens;

/// <summary>
/// Mints job tokens with the controller's token-signing key (ECDSA P-256). Only the controller
/// holds the private key; media agents get the public key with the CA bundle and can verify but
/// never mint. Lifetimes are limited to 7 days so a leaked token does not stay useful.
/// </summary>
public sealed class JobTokenSigner
{
    /// <summary>Longest lifetime a job token may have.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    private readonly ECDsa _key;
    private readonly TimeProvider _time;

    public JobTokenSigner(ECDsa privateKey, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.KeySize != 256)
        {
            throw new ArgumentException("The token-signing key must be ECDSA P-256 (ES256)", nameof(privateKey));
        }

        _key = privateKey;
        _time = time ?? TimeProvider.System;
        KeyId = JobTokenFormat.KeyIdOf(privateKey);
    }

    /// <summary>Key id written into every token header.</summary>
    public string KeyId { get; }

    /// <summary>The public key in PEM (SubjectPublicKeyInfo), for distribution to media agents.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Mints a token for the given grant.</summary>
    public string Issue(string jobId, string systemId, string mediaAgentId, JobDirection direction, TimeSpan lifetime, string? snapshotId = null, CrossSystemApproval? approval = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        RequireSystemId(systemId, nameof(systemId));
        RequireSystemId(mediaAgentId, nameof(mediaAgentId));
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"A job token lives between a moment and {MaxLifetime.TotalDays} days");
        }

        if (direction == JobDirection.Restore && string.IsNullOrWhiteSpace(snapshotId))
        {
            throw new ArgumentException("A restore token names the snapshot", nameof(snapshotId));
        }

        if (direction == JobDirection.Backup && (snapshotId is not null || approval is not null))
        {
            throw new ArgumentException("A backup token carries neither a snapshot nor a cross-system approval", nameof(direction));
        }

        if (approval is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(approval.ApprovedBy, nameof(approval));
            RequireSystemId(approval.TargetSystemId, nameof(approval));
        }

        var now = _time.GetUtcNow();
        var payload = new JobTokenPayload
        {
            Version = JobTokenFormat.Version,
            Nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            Job = jobId,
            Subject = systemId,
            Audience = mediaAgentId,
            Direction = JobTokenFormat.DirectionName(direction),
            Snapshot = snapshotId,
            Approval = approval is null ? null : new JobTokenApproval { ApprovedBy = approval.ApprovedBy, Target = approval.TargetSystemId },
            IssuedAt = now.ToUnixTimeSeconds(),
            ExpiresAt = (now + lifetime).ToUnixTimeSeconds(),
        };
        var header = new JobTokenHeader { Algorithm = JobTokenFormat.Algorithm, Type = JobTokenFormat.Type, KeyId = KeyId };
        var signingInput = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header, JobTokenFormat.Json))
            + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload, JobTokenFormat.Json));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static void RequireSystemId(string value, string name)
    {
        if (!SystemIdentity.IsValidId(value))
        {
            throw new ArgumentException($"'{value}' is not a valid system id", name);
        }
    }
}
