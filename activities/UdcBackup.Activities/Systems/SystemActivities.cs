using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Metadata;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Activities.Systems;

/// <summary>
/// Scripts and data streams on protected systems, through <see cref="IDiskAgentGateway"/>.
/// A script that exits non-zero fails the activity with <see cref="ScriptFailedErrorType"/>,
/// not retried (the scripts are written to be rerun, but a refusal such as "PostgreSQL is not in
/// backup mode" will not change by retrying); transport errors are retried by the caller's policy.
/// Streams heartbeat their running totals, so a retry after a lost attempt resumes from the last
/// recorded totals, and the heartbeat timeout notices a hung agent.
/// <c>data.check-restore-target</c> asks the target's disk agent ahead whether a restore would be
/// accepted and answers its reason when not (a read-only question: retried like any call).
/// A restore to a system other than the snapshot's owner without an approver is refused here,
/// before anything moves, as <see cref="CrossSystemRefusedErrorType"/>. A backup stream whose
/// data sets matched no file fails as <see cref="NothingBackedUpErrorType"/> (not retried); if it
/// sealed the session, the empty snapshot is forgotten on the media agent first (through
/// <see cref="IMediaAgentGateway"/>), so the repository keeps no snapshot the catalog never
/// records; if forgetting fails, the activity fails with that error and is retried (the sealed
/// session answers the same snapshot again).
/// </summary>
public sealed class SystemActivities
{
    public const string ScriptFailedErrorType = "ScriptFailed";
    public const string CrossSystemRefusedErrorType = "CrossSystemRestoreRefused";
    public const string NothingBackedUpErrorType = "NothingBackedUp";

    private readonly IDiskAgentGateway _agents;
    private readonly IMediaAgentGateway _media;

    public SystemActivities(IDiskAgentGateway agents, IMediaAgentGateway media)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(media);
        _agents = agents;
        _media = media;
    }

    [Activity("system.run-script")]
    [ActivityDescription("System", "Run script", "run '{script}' on {systemId}",
        Description = "Runs a script from the disk agent's allowed folder (pre-backup, post-backup, checks). Fails on a non-zero exit.")]
    public Task<ScriptOutcome> RunScriptAsync(ScriptCallInput input) => RunAsync("system.run-script", input);

    [Activity("system.stop-programs")]
    [ActivityDescription("System", "Stop programs", "stop the programs of {systemId} with '{script}'",
        Description = "Runs the system's stop-programs script before a restore (stop the database, suspend the applications).")]
    public Task<ScriptOutcome> StopProgramsAsync(ScriptCallInput input) => RunAsync("system.stop-programs", input);

    [Activity("system.start-programs")]
    [ActivityDescription("System", "Start programs", "start the programs of {systemId} with '{script}'",
        Description = "Runs the system's start-programs script after a restore; safe to run when they already run.")]
    public Task<ScriptOutcome> StartProgramsAsync(ScriptCallInput input) => RunAsync("system.start-programs", input);

    [Activity("data.stream-backup")]
    [ActivityDescription("Data", "Stream backup", "stream {dataSets} of {systemId} to {mediaAgentId}/{repository} ({level})",
        Description = "The disk agent sends the data sets through the open window to the media agent; the sealing stream returns the snapshot id.")]
    public async Task<StreamOutcome> StreamBackupAsync(StreamBackupInput input)
    {
        ActivityInputGuard.EnsureValid("data.stream-backup", input);
        var (context, resume, progress) = Progress();
        var cancellationToken = context?.CancellationToken ?? CancellationToken.None;
        var outcome = await _agents.StreamBackupAsync(input, resume, progress, cancellationToken);

        // A data set whose paths match nothing (a wrong path, an unmounted volume) would give an
        // empty snapshot that looks like a good backup. Files an earlier attempt already sent
        // count: a retry after a lost answer may find its work done and move nothing new.
        if (input.DataSets.Any(d => d.Paths.Count > 0) && outcome.Files == 0 && (resume?.Files ?? 0) == 0)
        {
            var removed = string.Empty;
            if (outcome.SnapshotId is { } empty)
            {
                await _media.ForgetSnapshotsAsync(input.MediaEndpoint, input.Repository, [empty], cancellationToken);
                removed = $"; its empty snapshot {empty} was removed from {input.MediaAgentId}/{input.Repository}";
            }

            throw new ApplicationFailureException(
                $"the data sets {string.Join(", ", input.DataSets.Select(d => $"'{d.Name}' ({string.Join(", ", d.Paths)})"))} of {input.SystemId} matched no file{removed}",
                NothingBackedUpErrorType,
                nonRetryable: true);
        }

        return outcome;
    }

    [Activity("data.stream-restore")]
    [ActivityDescription("Data", "Stream restore", "restore {snapshotId} of {snapshotSystemId} to {targetSystemId}",
        Description = "The media agent sends the snapshot to the target's disk agent. Another system than the owner needs an approver.")]
    public async Task<StreamOutcome> StreamRestoreAsync(StreamRestoreInput input)
    {
        ActivityInputGuard.EnsureValid("data.stream-restore", input);
        if (input.TargetSystemId != input.SnapshotSystemId && string.IsNullOrWhiteSpace(input.ApprovedBy))
        {
            throw new ApplicationFailureException(
                $"snapshot {input.SnapshotId} belongs to {input.SnapshotSystemId}; restoring it to {input.TargetSystemId} needs an operator's approval",
                CrossSystemRefusedErrorType,
                nonRetryable: true);
        }

        var (context, resume, progress) = Progress();
        return await _agents.StreamRestoreAsync(input, resume, progress, context?.CancellationToken ?? CancellationToken.None);
    }

    [Activity("data.check-restore-target")]
    [ActivityDescription("Data", "Check restore target", "check that {targetSystemId} accepts {snapshotId} of {snapshotSystemId}",
        Description = "Asks the target's disk agent whether the restore lands inside its restore roots, before anything is stopped or moved. Answers the agent's refusal; changes nothing.")]
    public async Task<RestoreTargetCheck> CheckRestoreTargetAsync(StreamRestoreInput input)
    {
        ActivityInputGuard.EnsureValid("data.check-restore-target", input);
        var context = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current : null;
        var refusal = await _agents.CheckRestoreTargetAsync(input, context?.CancellationToken ?? CancellationToken.None);
        return new RestoreTargetCheck(refusal is null, refusal);
    }

    private static (ActivityExecutionContext? Context, TransferProgress? Resume, IProgress<TransferProgress> Progress) Progress()
    {
        var context = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current : null;
        var resume = context?.GetHeartbeatDetails<TransferProgress>();
        return (context, resume, new HeartbeatProgress(context));
    }

    private async Task<ScriptOutcome> RunAsync(string activity, ScriptCallInput input)
    {
        ActivityInputGuard.EnsureValid(activity, input);
        var context = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current : null;
        var outcome = await _agents.RunScriptAsync(input, context?.CancellationToken ?? CancellationToken.None);
        if (!outcome.Succeeded)
        {
            var why = outcome.TimedOut ? "was killed at its timeout" : $"exited with {outcome.ExitCode}";
            throw new ApplicationFailureException(
                $"script '{input.Script}' on {input.SystemId} {why}: {Last(outcome.StandardError)}",
                ScriptFailedErrorType,
                nonRetryable: true,
                details: outcome);
        }

        return outcome;
    }

    private static string Last(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 400 ? trimmed : "..." + trimmed[^400..];
    }

    private sealed class HeartbeatProgress(ActivityExecutionContext? context) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => context?.Heartbeat(value);
    }
}
