using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Systems;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Restore;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Server.Agents;

/// <summary>
/// The controller's real agent gateway, over mutual TLS (<see cref="AgentConnections"/>).
/// <list type="bullet">
/// <item>Scripts: <c>POST /v1/scripts/run</c> on the system's disk agent; the call waits the
/// script's timeout plus a margin (the agent kills the script at its timeout).</item>
/// <item>Backups: the controller mints a job token (<see cref="JobTokenSigner"/>) binding run id,
/// system, media agent and direction for <see cref="JobTokenLifetime"/>, and orders the disk agent
/// (<c>POST /v1/jobs/backup</c>) to stream the data sets' paths to the media agent; the snapshot
/// id and the system the media agent tagged it with (the token's subject) come back.</item>
/// <item>Restores: a restore token names the snapshot and its owner; a target other than the
/// owner gets the operator's approval inside the signed token (<c>xsys</c>), so the media agent
/// refuses a cross-system restore without one even if the controller's own check were skipped.</item>
/// <item>Forget: <c>DELETE /v1/snapshots/{id}</c> on the media agent; 404 counts as done.</item>
/// </list>
/// While a stream runs the last known totals are reported every <see cref="HeartbeatInterval"/>
/// (the activities turn reports into heartbeats), so a long transfer is not mistaken for a hung one.
/// Failures are <see cref="ApplicationFailureException"/>s typed by <see cref="AgentConnections"/>.
/// </summary>
public sealed class AgentHttpGateway : IDiskAgentGateway, IMediaAgentGateway, IDisposable
{
    /// <summary>How long a job token stays valid: longer than any stream attempt (12 h at most).</summary>
    public static readonly TimeSpan JobTokenLifetime = TimeSpan.FromDays(1);

    /// <summary>How often a running stream reports its totals.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ScriptMargin = TimeSpan.FromSeconds(60);
    private readonly AgentConnections _connections;
    private readonly JobTokenSigner _signer;
    private readonly TimeProvider _time;

    public AgentHttpGateway(AgentConnections connections, JobTokenSigner signer, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(signer);
        _connections = connections;
        _signer = signer;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The gateway of a controller: its certificate, its CA, its token-signing key.</summary>
    public static AgentHttpGateway ForController(ControllerAgentIdentity identity, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new AgentHttpGateway(new AgentConnections(identity.Certificate, identity.Authority.Certificate, time), identity.Authority.TokenSigner, time);
    }

    public async Task<ScriptOutcome> RunScriptAsync(ScriptCallInput call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = new ScriptRunRequest
        {
            Name = call.Script,
            Arguments = [.. call.Arguments],
            Environment = new Dictionary<string, string>(call.Environment),
            TimeoutSeconds = call.TimeoutSeconds,
            JobId = call.JobId,
        };
        var result = await _connections.CallAsync<ScriptResult>(
            call.AgentEndpoint, call.SystemId, AgentRole.Disk, "/v1/scripts/run", request, TimeSpan.FromSeconds(call.TimeoutSeconds) + ScriptMargin, cancellationToken);
        return new ScriptOutcome(result.ExitCode, result.StandardOutput, result.StandardError, result.TimedOut, (long)result.Duration.TotalMilliseconds);
    }

    public async Task<StreamOutcome> StreamBackupAsync(StreamBackupInput request, TransferProgress? resumeFrom, IProgress<TransferProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var token = _signer.Issue(request.JobId, request.SystemId, request.MediaAgentId, JobDirection.Backup, JobTokenLifetime);
        var order = new TransferJobRequest
        {
            JobId = request.JobId,
            MediaAgentUrl = AgentConnections.BaseUri(request.MediaEndpoint).ToString(),
            MediaAgentId = request.MediaAgentId,
            Token = token,
            Paths = [.. request.DataSets.SelectMany(d => d.Paths).Distinct(StringComparer.Ordinal)],
        };
        var outcome = await WithHeartbeatsAsync(
            resumeFrom,
            progress,
            ct => _connections.CallAsync<BackupOutcome>(request.AgentEndpoint, request.SystemId, AgentRole.Disk, "/v1/jobs/backup", order, null, ct),
            cancellationToken);
        var snapshot = outcome.Snapshot;
        var tagged = snapshot.Tags.TryGetValue("system", out var system) ? system : snapshot.System;
        return new StreamOutcome(snapshot.Id, tagged, 0, 0);
    }

    public async Task<StreamOutcome> StreamRestoreAsync(StreamRestoreInput request, TransferProgress? resumeFrom, IProgress<TransferProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var approval = request.TargetSystemId == request.SnapshotSystemId
            ? null
            : new CrossSystemApproval(
                request.ApprovedBy ?? throw new ApplicationFailureException($"restoring {request.SnapshotSystemId}'s snapshot to {request.TargetSystemId} needs an approver", AgentConnections.RefusedErrorType, nonRetryable: true),
                request.TargetSystemId);
        var token = _signer.Issue(request.JobId, request.SnapshotSystemId, request.MediaAgentId, JobDirection.Restore, JobTokenLifetime, request.SnapshotId, approval);
        var order = new TransferJobRequest
        {
            JobId = request.JobId,
            MediaAgentUrl = AgentConnections.BaseUri(request.MediaEndpoint).ToString(),
            MediaAgentId = request.MediaAgentId,
            Token = token,

            // Snapshot paths are the original absolute paths (without the leading '/'), so "/"
            // puts every file back where it was; the agent confines targets to its restore roots.
            Target = "/",
        };
        var result = await WithHeartbeatsAsync(
            resumeFrom,
            progress,
            ct => _connections.CallAsync<RestoreResult>(request.AgentEndpoint, request.TargetSystemId, AgentRole.Disk, "/v1/jobs/restore", order, null, ct),
            cancellationToken);
        var totals = new TransferProgress(result.BytesWritten, result.FilesRestored);
        progress.Report(totals);
        return new StreamOutcome(null, null, totals.Bytes, totals.Files);
    }

    public async Task ForgetSnapshotsAsync(string mediaEndpoint, string repository, IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshotIds);
        foreach (var id in snapshotIds)
        {
            using var response = await _connections.SendAsync(
                HttpMethod.Delete, mediaEndpoint, null, AgentRole.Media, $"/v1/snapshots/{Uri.EscapeDataString(id)}", null, TimeSpan.FromMinutes(10), cancellationToken);
        }
    }

    public void Dispose() => _connections.Dispose();

    // Runs the call and, meanwhile, reports the last totals at a fixed interval so the
    // activity's heartbeat timeout only fires when the controller itself is stuck.
    private async Task<T> WithHeartbeatsAsync<T>(TransferProgress? resumeFrom, IProgress<TransferProgress> progress, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var last = resumeFrom ?? new TransferProgress(0, 0);
        progress.Report(last);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var beats = Task.Run(
            async () =>
            {
                using var timer = new PeriodicTimer(HeartbeatInterval, _time);
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    progress.Report(last);
                }
            },
            CancellationToken.None);
        try
        {
            return await call(cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await beats;
            }
            catch (OperationCanceledException)
            {
                // The heartbeat loop ends with the call.
            }
        }
    }
}
