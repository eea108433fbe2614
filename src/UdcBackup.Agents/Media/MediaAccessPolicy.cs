using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tokens;

namespace UdcBackup.Agents.Media;

/// <summary>
/// Who may do what on a media agent, decided from the peer's certificate identity and the job
/// token, and audited either way:
/// <list type="bullet">
/// <item>backup stream: a disk agent presenting a backup token for its own system;</item>
/// <item>restore stream: a disk agent presenting a restore token whose allowed peer is it (the owner,
/// or the target of an operator-approved cross-system restore), for a snapshot that exists and
/// belongs to the token's system;</item>
/// <item>listing and deleting snapshots: the controller only. Protected systems can add their own
/// data but never list, read others' or delete backups (append-only from the protected zone).</item>
/// </list>
/// The snapshot owner lookup is given by the caller (the archive's snapshot tags), so the policy
/// stays independent of storage.
/// </summary>
public sealed class MediaAccessPolicy
{
    private readonly JobTokenVerifier _verifier;
    private readonly AuditLog _audit;

    public MediaAccessPolicy(JobTokenVerifier verifier, AuditLog audit)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(audit);
        _verifier = verifier;
        _audit = audit;
    }

    /// <summary>Decides a backup request (a one-shot stream, or opening, streaming into or sealing a session).</summary>
    public MediaAccessDecision AuthorizeBackup(SystemIdentity peer, string? token, string action = "backup.stream")
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.Role != AgentRole.Disk)
        {
            return Refuse(peer, action, $"only disk agents send backup streams, not {SystemIdentity.RoleName(peer.Role)}", null);
        }

        var verification = _verifier.Verify(token, peer.SystemId, JobDirection.Backup);
        return verification.Accepted
            ? Allow(peer, action, verification.Claims!, $"backup of {verification.Claims!.SystemId}")
            : Refuse(peer, action, $"{verification.Refusal}: {verification.Reason}", null);
    }

    /// <summary>
    /// Decides a restore stream request; <paramref name="snapshotOwner"/> returns the system id a
    /// snapshot belongs to, or null when there is no such snapshot.
    /// </summary>
    public MediaAccessDecision AuthorizeRestore(SystemIdentity peer, string? token, Func<string, string?> snapshotOwner)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(snapshotOwner);
        const string action = "restore.stream";
        if (peer.Role != AgentRole.Disk)
        {
            return Refuse(peer, action, $"only disk agents receive restore streams, not {SystemIdentity.RoleName(peer.Role)}", null);
        }

        var verification = _verifier.Verify(token, peer.SystemId, JobDirection.Restore);
        if (!verification.Accepted)
        {
            return Refuse(peer, action, $"{verification.Refusal}: {verification.Reason}", null);
        }

        var claims = verification.Claims!;
        var owner = snapshotOwner(claims.SnapshotId!);
        if (owner is null)
        {
            return Refuse(peer, action, $"snapshot {claims.SnapshotId} does not exist", claims.JobId);
        }

        if (owner != claims.SystemId)
        {
            return Refuse(peer, action, $"snapshot {claims.SnapshotId} belongs to {owner}, not to {claims.SystemId} named by the token", claims.JobId);
        }

        var how = claims.Approval is null
            ? $"restore of {owner}'s snapshot {claims.SnapshotId}"
            : $"cross-system restore of {owner}'s snapshot {claims.SnapshotId} to {claims.Approval.TargetSystemId}, approved by {claims.Approval.ApprovedBy}";
        return Allow(peer, action, claims, how);
    }

    /// <summary>Decides a catalog operation (list or delete snapshots): the controller only.</summary>
    public MediaAccessDecision AuthorizeCatalog(SystemIdentity peer, MediaOperation operation)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (operation is not (MediaOperation.ListSnapshots or MediaOperation.DeleteSnapshots))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "Streams are authorized with a job token");
        }

        var action = operation == MediaOperation.ListSnapshots ? "snapshots.list" : "snapshots.delete";
        return peer.Role == AgentRole.Controller
            ? Allow(peer, action, null, "controller")
            : Refuse(peer, action, "protected systems can add their own backups but cannot list, read or delete backups", null);
    }

    private MediaAccessDecision Allow(SystemIdentity peer, string action, JobTokenClaims? claims, string reason)
    {
        _audit.Accepted(peer.ToString(), action, reason, claims?.SnapshotId, claims?.JobId, claims?.SystemId is { } owner && owner != peer.SystemId ? owner : null);
        return new MediaAccessDecision(true, claims, reason);
    }

    private MediaAccessDecision Refuse(SystemIdentity peer, string action, string reason, string? jobId)
    {
        _audit.Refused(peer.ToString(), action, reason, jobId: jobId);
        return new MediaAccessDecision(false, null, reason);
    }
}
