namespace UdcBackup.Activities.Systems;

/// <summary>
/// How activities reach a system's disk agent (and, through it, the media agent). The production
/// implementation speaks the agents' mutual-TLS HTTP API; orchestration tests use a recording one.
/// Implementations throw <see cref="OperationCanceledException"/> when the token fires, and any
/// other exception for transport failures (the activity's retry policy decides what follows).
/// A script that runs and exits non-zero is a normal <see cref="ScriptOutcome"/>, not an exception.
/// </summary>
public interface IDiskAgentGateway
{
    Task<ScriptOutcome> RunScriptAsync(ScriptCallInput call, CancellationToken cancellationToken);

    /// <summary>Streams a backup; <paramref name="progress"/> gets running totals; a retry may pass the last totals in <paramref name="resumeFrom"/>.</summary>
    Task<StreamOutcome> StreamBackupAsync(StreamBackupInput request, TransferProgress? resumeFrom, IProgress<TransferProgress> progress, CancellationToken cancellationToken);

    Task<StreamOutcome> StreamRestoreAsync(StreamRestoreInput request, TransferProgress? resumeFrom, IProgress<TransferProgress> progress, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the target's disk agent whether it would accept <paramref name="request"/>'s restore
    /// (its restore roots), without moving anything: null when it would, else the agent's reason.
    /// </summary>
    Task<string?> CheckRestoreTargetAsync(StreamRestoreInput request, CancellationToken cancellationToken);
}
