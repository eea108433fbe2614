using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Workflows.Backup;

/// <summary>
/// <c>backup.job</c>: one run of a site backup job.
/// <para>
/// Algorithm: open every window of the job once; then per system, one at a time in job order:
/// choose the level (full/incremental) from the catalog, pre-backup, stream the data sets,
/// post-backup, stream the post-backup data sets (label, WAL) into the same snapshot, record the
/// snapshot (tagged with system, run and level), apply retention. Finally close every window
/// tagged with the run.
/// </para>
/// <para>
/// Failure behaviour: post-backup runs once its system was entered, whether the stream
/// succeeded, failed or the run was cancelled; after a controller crash the history replays to
/// the same point and the cleanups still run (they are ordinary code after the awaited step, not
/// in-memory callbacks). A system's failure is recorded in its line and the run goes on with the
/// next system when <see cref="BackupJobInput.ContinueOnSystemFailure"/> is set (the rest are
/// <c>Skipped</c> otherwise). The window close runs in a <c>finally</c> with
/// <c>CancellationToken.None</c>, and uses the job tag, so it also removes a window whose opening
/// was never recorded. A cancelled run ends cancelled after its cleanups; a run where a system
/// failed completes with that system's line failed.
/// </para>
/// </summary>
[Workflow(TypeName)]
public sealed class BackupJobWorkflow
{
    public const string TypeName = "backup.job";

    private readonly List<SystemBackupResult> _systems = [];
    private string _phase = "starting";
    private int _windowsClosed;
    private BackupJobInput? _input;

    /// <summary>Per-system progress for <c>udc jobs show</c>.</summary>
    [WorkflowQuery("progress")]
    public BackupJobResult Progress => new(_input?.RunId ?? string.Empty, _input?.JobId ?? string.Empty, _phase, _systems.ToList(), _windowsClosed);

    [WorkflowRun]
    public async Task<BackupJobResult> RunAsync(BackupJobInput input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // A scheduled run gets its input at apply time, without a run id: its workflow id
        // (job-{job}-{fire time}) is the run id then.
        if (string.IsNullOrEmpty(input.RunId))
        {
            input = input with { RunId = Workflow.Info.WorkflowId };
        }

        _input = input;
        _systems.AddRange(input.Systems.Select(s => new SystemBackupResult(s.SystemId, SystemRunStatus.Pending)));
        FailureException? cancellation = null;
        try
        {
            _phase = "opening windows";
            await Workflow.ExecuteActivityAsync<FirewallActivities, OpenWindowsResult>(
                a => a.OpenWindowsAsync(new OpenWindowsInput(input.RunId, input.Windows)), WorkflowActivityOptions.Firewall(cleanup: false));
            for (var i = 0; i < input.Systems.Count; i++)
            {
                if (Workflow.CancellationToken.IsCancellationRequested)
                {
                    MarkRest(i, SystemRunStatus.Cancelled, "run cancelled");
                    break;
                }

                _phase = $"backing up {input.Systems[i].SystemId}";
                cancellation = await BackupSystemAsync(input, i);
                if (cancellation is not null)
                {
                    MarkRest(i + 1, SystemRunStatus.Cancelled, "run cancelled");
                    break;
                }

                if (_systems[i].Status == SystemRunStatus.Failed && !input.ContinueOnSystemFailure)
                {
                    MarkRest(i + 1, SystemRunStatus.Skipped, $"{input.Systems[i].SystemId} failed and the job stops at a failure");
                    break;
                }
            }
        }
        catch (FailureException ex) when (IsCancellation(ex))
        {
            cancellation = ex;
            MarkRest(0, SystemRunStatus.Cancelled, "run cancelled");
        }
        catch (FailureException ex)
        {
            MarkRest(0, SystemRunStatus.Skipped, $"windows not opened: {ex.Message}");
            throw;
        }
        finally
        {
            _phase = "closing windows";
            var closed = await Workflow.ExecuteActivityAsync<FirewallActivities, CloseWindowsResult>(
                a => a.CloseJobWindowsAsync(new CloseJobWindowsInput(input.RunId, input.Firewalls)), WorkflowActivityOptions.Firewall(cleanup: true));
            _windowsClosed = closed.Closed;
        }

        _phase = cancellation is null ? "done" : "cancelled";
        return cancellation is null ? Progress : throw cancellation;
    }

    private static bool IsCancellation(FailureException ex) => ex is CanceledFailureException || ex.InnerException is CanceledFailureException;

    private static ScriptCallInput Call(BackupJobInput input, BackupSystemSpec system, ScriptSpec script) =>
        new(input.RunId, system.SystemId, system.AgentEndpoint, script.Name, script.Arguments, script.Environment);

    // Returns the cancellation failure when the run was cancelled while this system ran (after
    // its post-backup ran), otherwise null; the system's line says how it went.
    private async Task<FailureException?> BackupSystemAsync(BackupJobInput input, int index)
    {
        var system = input.Systems[index];
        var line = _systems[index] with { Status = SystemRunStatus.Running, Step = "choose level" };
        _systems[index] = line;
        FailureException? failure = null;
        string? failedStep = null;
        StreamOutcome? sealedStream = null;
        ChooseLevelResult level;
        try
        {
            level = await Workflow.ExecuteActivityAsync<CatalogActivities, ChooseLevelResult>(
                a => a.ChooseLevelAsync(new ChooseLevelInput(system.SystemId, input.JobId, input.Levels.FullOn, input.Levels.FullEvery, input.Levels.TimeZone, Workflow.UtcNow.ToString("O"))),
                WorkflowActivityOptions.Catalog());
        }
        catch (FailureException ex)
        {
            return Fail(index, ex, "choose level");
        }

        var session = $"{input.RunId}/{system.SystemId}";
        line = line with { Level = level.Level, Step = null };
        try
        {
            if (system.PreBackup is { } pre)
            {
                _systems[index] = line with { Step = "pre-backup" };
                await Workflow.ExecuteActivityAsync<SystemActivities, ScriptOutcome>(
                    a => a.RunScriptAsync(Call(input, system, pre)), WorkflowActivityOptions.Script(600, cleanup: false));
            }

            if (system.DataSets.Count > 0)
            {
                _systems[index] = line with { Step = "stream" };
                var stream = await Workflow.ExecuteActivityAsync<SystemActivities, StreamOutcome>(
                    a => a.StreamBackupAsync(Stream(input, system, level, session, system.DataSets, seal: system.AfterPostBackup.Count == 0)),
                    WorkflowActivityOptions.Stream(input.Window));
                line = line with { Bytes = stream.Bytes, Files = stream.Files };
                sealedStream = system.AfterPostBackup.Count == 0 ? stream : null;
            }
        }
        catch (FailureException ex)
        {
            failure = ex;
            failedStep = _systems[index].Step;
        }

        // Post-backup is the cleanup of pre-backup: it runs whatever happened above.
        if (system.PostBackup is { } post)
        {
            _systems[index] = line with { Step = "post-backup" };
            try
            {
                await Workflow.ExecuteActivityAsync<SystemActivities, ScriptOutcome>(
                    a => a.RunScriptAsync(Call(input, system, post)), WorkflowActivityOptions.Script(600, cleanup: true));
                line = line with { PostBackupRan = true };
            }
            catch (FailureException ex)
            {
                failedStep ??= "post-backup";
                failure ??= ex;
            }
        }

        _systems[index] = line;
        if (failure is not null)
        {
            return Fail(index, failure, failedStep);
        }

        try
        {
            if (system.AfterPostBackup.Count > 0)
            {
                _systems[index] = line with { Step = "stream after post-backup" };
                var stream = await Workflow.ExecuteActivityAsync<SystemActivities, StreamOutcome>(
                    a => a.StreamBackupAsync(Stream(input, system, level, session, system.AfterPostBackup, seal: true)),
                    WorkflowActivityOptions.Stream(input.Window));
                line = line with { Bytes = line.Bytes + stream.Bytes, Files = line.Files + stream.Files };
                sealedStream = stream;
            }

            if (sealedStream?.SnapshotId is not { } snapshotId)
            {
                _systems[index] = line with { Step = system.AfterPostBackup.Count > 0 ? "stream after post-backup" : "stream" };
                throw new ApplicationFailureException($"the stream of {system.SystemId} returned no snapshot id", "NoSnapshot", nonRetryable: true);
            }

            _systems[index] = line with { Step = "record snapshot" };
            await Workflow.ExecuteActivityAsync<CatalogActivities, RecordSnapshotResult>(
                a => a.RecordSnapshotAsync(new RecordSnapshotInput(snapshotId, system.SystemId, sealedStream.SnapshotSystemId ?? string.Empty, input.JobId, level.Level, input.MediaAgentId, input.Repository, line.Bytes, line.Files)),
                WorkflowActivityOptions.Catalog());
            line = line with { SnapshotId = snapshotId };
        }
        catch (FailureException ex)
        {
            var step = _systems[index].Step;
            _systems[index] = line;
            return Fail(index, ex, step);
        }

        line = line with { Status = SystemRunStatus.Succeeded, Step = null };
        if (input.Retention is { } keep)
        {
            try
            {
                await Workflow.ExecuteActivityAsync<CatalogActivities, ApplyRetentionResult>(
                    a => a.ApplyRetentionAsync(new ApplyRetentionInput(system.SystemId, input.JobId, input.MediaEndpoint, input.Repository, keep.KeepLast, keep.KeepDaily, keep.KeepWeekly, keep.KeepMonthly, keep.KeepYearly)),
                    WorkflowActivityOptions.Catalog());
            }
            catch (FailureException ex) when (!IsCancellation(ex))
            {
                // The backup itself is good; old snapshots are thinned at the next run.
                line = line with { Warning = $"retention not applied: {ex.InnerException?.Message ?? ex.Message}" };
            }
        }

        _systems[index] = line;
        return null;
    }

    private static StreamBackupInput Stream(BackupJobInput input, BackupSystemSpec system, ChooseLevelResult level, string session, IReadOnlyList<DataSetSpec> sets, bool seal) =>
        new(input.RunId, system.SystemId, system.AgentEndpoint, input.MediaAgentId, input.MediaEndpoint, input.Repository, level.Level, level.ParentSnapshotId, session, sets, seal);

    // The line keeps the step that failed (or was running at the cancel), so that the operator
    // sees where it stopped, not the first step the line was given.
    private FailureException? Fail(int index, FailureException failure, string? step)
    {
        var cancelled = IsCancellation(failure);
        _systems[index] = _systems[index] with
        {
            Status = cancelled ? SystemRunStatus.Cancelled : SystemRunStatus.Failed,
            Step = step,
            Error = failure.InnerException?.Message ?? failure.Message,
        };
        return cancelled ? failure : null;
    }

    private void MarkRest(int from, SystemRunStatus status, string why)
    {
        for (var i = from; i < _systems.Count; i++)
        {
            if (_systems[i].Status is SystemRunStatus.Pending or SystemRunStatus.Running)
            {
                _systems[i] = _systems[i] with { Status = status, Error = why };
            }
        }
    }
}
