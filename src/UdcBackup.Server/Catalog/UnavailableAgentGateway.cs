using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Server.Catalog;

/// <summary>
/// The agent gateway of a controller that has no client for the agents' job endpoints yet: every
/// call fails at once, without retry, with <see cref="ErrorType"/> and a message that says so.
/// A backup run therefore opens and closes its windows for real, records each system as failed
/// with this reason, and never pretends data moved. It is replaced by the mutual-TLS client once
/// the disk agent's "start a backup/restore job" endpoint exists (see agent-protocol.md).
/// </summary>
public sealed class UnavailableAgentGateway : IDiskAgentGateway, IMediaAgentGateway
{
    public const string ErrorType = "AgentDataPathUnavailable";

    public Task<ScriptOutcome> RunScriptAsync(ScriptCallInput call, CancellationToken cancellationToken) => throw Unavailable($"run '{call?.Script}' on {call?.SystemId}");

    public Task<StreamOutcome> StreamBackupAsync(StreamBackupInput request, TransferProgress? resumeFrom, IProgress<TransferProgress> progress, CancellationToken cancellationToken) =>
        throw Unavailable($"stream the backup of {request?.SystemId}");

    public Task<StreamOutcome> StreamRestoreAsync(StreamRestoreInput request, TransferProgress? resumeFrom, IProgress<TransferProgress> progress, CancellationToken cancellationToken) =>
        throw Unavailable($"stream the restore to {request?.TargetSystemId}");

    public Task ForgetSnapshotsAsync(string mediaEndpoint, string repository, IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken) =>
        throw Unavailable($"forget snapshots on {mediaEndpoint}");

    private static ApplicationFailureException Unavailable(string what) =>
        new($"cannot {what}: this controller has no agent client configured yet", ErrorType, nonRetryable: true);
}
