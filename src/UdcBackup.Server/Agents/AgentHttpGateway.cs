using System.Net;
using System.Text.Json;
using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Systems;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tokens;
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
/// <item>Restore check: the same order without a token to <c>POST /v1/jobs/restore/check</c>;
/// a 400 answers the agent's reason, an agent without the check (404) counts as accepting, so its
/// restore's own refusal stays the guard.</item>
/// <item>Forget: <c>POST /v1/snapshots/forget</c> on the media agent (any media agent identity at
/// that endpoint: the site names it by endpoint here); ids already gone count as done.</item>
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
        var session = SessionId(request.SessionId);
        var media = AgentConnections.BaseUri(request.MediaEndpoint).ToString();
        var who = $"the disk agent of {request.SystemId} at {request.AgentEndpoint}";
        var repository = Repository(request.Repository, request.MediaAgentId, request.MediaEndpoint);
        var totals = new TransferProgress(0, 0);
        JsonElement last = default;

        // One stream per data set, so each keeps its own excludes and its own resume state in
        // the session; only the last one seals (when asked), so the session becomes one snapshot.
        IReadOnlyList<DataSetSpec> sets = request.DataSets.Count > 0 ? request.DataSets : [new DataSetSpec("seal", [], [])];
        for (var i = 0; i < sets.Count; i++)
        {
            var order = new BackupOrder(
                request.JobId, media, request.MediaAgentId, token, [.. sets[i].Paths], Excludes(sets[i]), session,
                Seal: request.Seal && i == sets.Count - 1, request.Level, request.ParentSnapshotId, request.Repository, resumeFrom);
            var before = totals;
            last = await WithHeartbeatsAsync(
                resumeFrom ?? before,
                progress,
                async (report, ct) =>
                {
                    using var response = await _connections.SendAsync(HttpMethod.Post, request.AgentEndpoint, request.SystemId, AgentRole.Disk, "/v1/jobs/backup", order, null, ct, streamed: true, repository: repository);
                    return await TransferAnswer.ReadAsync(response, "backup", who, "/v1/jobs/backup", p => report(new TransferProgress(before.Bytes + p.Bytes, before.Files + p.Files)), ct, repository);
                },
                cancellationToken);
            var done = TransferAnswer.Progress(last.TryGetProperty("progress", out var p) ? p : default);
            totals = new TransferProgress(before.Bytes + done.Bytes, before.Files + done.Files);
            progress.Report(totals);
        }

        if (!request.Seal)
        {
            return new StreamOutcome(null, null, totals.Bytes, totals.Files);
        }

        if (!last.TryGetProperty("snapshot", out var snapshot) || snapshot.ValueKind != JsonValueKind.Object)
        {
            throw new ApplicationFailureException($"{who} sealed session {session} but named no snapshot", AgentConnections.FailedErrorType);
        }

        // The system tag is what the media agent wrote from the token's subject; the catalog
        // activity compares it with the system it records the snapshot for.
        var tags = snapshot.TryGetProperty("tags", out var t) ? t : default;
        var tagged = TransferAnswer.Text(tags, "system") is { Length: > 0 } system ? system : TransferAnswer.Text(snapshot, "system");
        return new StreamOutcome(TransferAnswer.Text(snapshot, "id"), tagged, totals.Bytes, totals.Files);
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
        var order = Order(request, token);
        var who = $"the disk agent of {request.TargetSystemId} at {request.AgentEndpoint}";
        var restoreTarget = $"the restore target {order.Target} on system {request.TargetSystemId}";
        var result = await WithHeartbeatsAsync(
            resumeFrom,
            progress,
            async (report, ct) =>
            {
                using var response = await _connections.SendAsync(HttpMethod.Post, request.AgentEndpoint, request.TargetSystemId, AgentRole.Disk, "/v1/jobs/restore", order, null, ct, streamed: true, restoreTarget: restoreTarget);
                return await TransferAnswer.ReadAsync(response, "restore", who, "/v1/jobs/restore", report, ct, restoreTarget: restoreTarget);
            },
            cancellationToken);
        var totals = new TransferProgress(TransferAnswer.Number(result, "bytesWritten"), TransferAnswer.Number(result, "filesRestored"));
        progress.Report(totals);
        return new StreamOutcome(null, null, totals.Bytes, totals.Files, TransferAnswer.Number(result, "filesAlreadyCorrect"), TransferAnswer.Number(result, "bytesAlreadyCorrect"));
    }

    public async Task<string?> CheckRestoreTargetAsync(StreamRestoreInput request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The check never reaches the media agent, so it carries no token: a refused target
        // should not have been handed one.
        using var response = await _connections.SendAsync(
            HttpMethod.Post, request.AgentEndpoint, request.TargetSystemId, AgentRole.Disk, "/v1/jobs/restore/check", Order(request, string.Empty), TimeSpan.FromMinutes(1), cancellationToken,
            answered: [HttpStatusCode.BadRequest, HttpStatusCode.NotFound]);
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest => await AgentConnections.ProblemDetailAsync(response, cancellationToken, titled: false) is { Length: > 0 } reason ? reason : "refused without a reason",

            // An agent older than the check: the restore's own refusal is the guard, as before.
            _ => null,
        };
    }

    public async Task ForgetSnapshotsAsync(string mediaEndpoint, string repository, IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshotIds);
        if (snapshotIds.Count == 0)
        {
            return;
        }

        // Absent ids are answered as "absent", not as an error, so a retried retention passes;
        // 409 (a backup session holds the repository) is retried by the activity's policy.
        using var response = await _connections.SendAsync(
            HttpMethod.Post, mediaEndpoint, null, AgentRole.Media, "/v1/snapshots/forget", new ForgetOrder([.. snapshotIds]), TimeSpan.FromMinutes(10), cancellationToken,
            repository: $"repository '{repository}' of the media agent at {mediaEndpoint}");
    }

    public void Dispose() => _connections.Dispose();

    /// <summary>A media agent's repository as the site names it, for the operator (a full one is to be freed there).</summary>
    private static string Repository(string repository, string mediaAgentId, string mediaEndpoint) =>
        $"repository '{repository}' of media agent {mediaAgentId} at {mediaEndpoint}";

    // A backup session id for the agents: the workflow's "run/system" with characters outside
    // [A-Za-z0-9._:@-] (the '/') replaced, so it can travel in a URL path segment.
    private static string SessionId(string session)
    {
        var id = new string([.. session.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '@' or '-' ? c : '.')]);
        return id.Length <= 128 ? id : id[..128];
    }

    // Site excludes are relative to each path of their data set (pg_wal/*), the agent's patterns
    // with a '/' match absolute paths, so such patterns are anchored under every path of the set.
    private static string[] Excludes(DataSetSpec set) =>
    [
        .. set.Excludes.SelectMany(pattern => pattern.Contains('/', StringComparison.Ordinal) && !pattern.StartsWith('/')
            ? set.Paths.Select(path => $"{path.TrimEnd('/')}/{pattern}")
            : [pattern]).Distinct(StringComparer.Ordinal),
    ];

    // Runs the call, passing it a reporter for the agent's progress lines, and meanwhile repeats
    // the last totals at a fixed interval so the activity's heartbeat timeout only fires when
    // the controller itself is stuck (the agent may be silent while it opens a session).
    private async Task<T> WithHeartbeatsAsync<T>(TransferProgress? resumeFrom, IProgress<TransferProgress> progress, Func<Action<TransferProgress>, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
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
                    progress.Report(Volatile.Read(ref last));
                }
            },
            CancellationToken.None);
        try
        {
            return await call(
                value =>
                {
                    Volatile.Write(ref last, value);
                    progress.Report(value);
                },
                cancellationToken);
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

    private sealed record BackupOrder(
        string JobId, string MediaAgentUrl, string MediaAgentId, string Token, string[] Paths, string[] Excludes, string SessionId,
        bool Seal, string Level, string? ParentSnapshotId, string Repository, TransferProgress? ResumeFrom);

    private sealed record ForgetOrder(string[] SnapshotIds);

    // Snapshot paths are the original absolute paths without the leading '/', so target "/"
    // puts each file back where it was, and the data sets' paths select what is restored; a
    // restore into a folder writes the same paths below it. Data sets restored with replace name
    // their paths (where they are written) as replace roots: the disk agent removes what the
    // snapshot does not hold below them once every file is written.
    private static RestoreOrder Order(StreamRestoreInput request, string token)
    {
        var target = string.IsNullOrEmpty(request.Into) ? "/" : request.Into;
        return new RestoreOrder(
            request.JobId, AgentConnections.BaseUri(request.MediaEndpoint).ToString(), request.MediaAgentId, token, target,
            [.. request.DataSets.SelectMany(d => d.Paths).Distinct(StringComparer.Ordinal)],
            [.. request.DataSets.Where(d => d.Replace).SelectMany(d => d.Paths).Select(p => RestoreReplacer.Absolute(target, p)).Distinct(StringComparer.Ordinal)]);
    }

    private sealed record RestoreOrder(string JobId, string MediaAgentUrl, string MediaAgentId, string Token, string Target, string[] Includes, string[] ReplaceRoots);
}
