using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Workflows;
using UdcBackup.Workflows.Backup;

namespace UdcBackup.Workflows.Restore;

/// <summary>
/// <c>restore</c>: an operator-started restore of one snapshot to one system.
/// <para>
/// Algorithm: look the snapshot up in the catalog; refuse (before any window opens or data
/// moves) when its owner is not the system the operator named, or when the target is another
/// system and nobody approved; ask the target's disk agent whether it accepts the restore (its
/// restore roots; a restore into a folder, <see cref="RestoreInput.Into"/>, lands below that
/// folder) and refuse with its reason when not; then open the target's windows, stop its
/// programs, stream the snapshot back, start its programs, close the windows.
/// </para>
/// <para>
/// Failure behaviour: start-programs runs once stop-programs was started, whatever the stream
/// did (failure, cancel, controller crash and replay), with <c>CancellationToken.None</c>; the
/// windows are closed in a <c>finally</c> by the run's tag. The approver is part of the input
/// (so it is in the history) and of the result. Refusals fail the run with
/// <see cref="RefusedErrorType"/> and a message saying what to do.
/// </para>
/// </summary>
[Workflow(TypeName)]
public sealed class RestoreWorkflow
{
    public const string TypeName = "restore";
    public const string RefusedErrorType = "RestoreRefused";

    private RestoreInput? _input;
    private string _phase = "starting";
    private long _bytes;
    private long _files;
    private long _alreadyCorrectFiles;
    private long _alreadyCorrectBytes;
    private bool _programsStarted;
    private int _windowsClosed;

    [WorkflowQuery("progress")]
    public RestoreResult Progress => new(
        _input?.RunId ?? string.Empty,
        _input?.SnapshotId ?? string.Empty,
        _input?.SnapshotSystemId ?? string.Empty,
        _input?.TargetSystemId ?? string.Empty,
        _input?.RequestedBy,
        _input?.ApprovedBy,
        _phase,
        _bytes,
        _files,
        _programsStarted,
        _windowsClosed,
        _alreadyCorrectFiles,
        _alreadyCorrectBytes);

    [WorkflowRun]
    public async Task<RestoreResult> RunAsync(RestoreInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _phase = "checking snapshot";
        var snapshot = await Workflow.ExecuteActivityAsync<CatalogActivities, FindSnapshotResult>(
            a => a.FindSnapshotAsync(new FindSnapshotInput(input.SnapshotId)), WorkflowActivityOptions.Catalog());
        Refuse(input, snapshot);
        var request = new StreamRestoreInput(input.RunId, input.TargetSystemId, input.TargetAgentEndpoint, input.MediaAgentId, input.MediaEndpoint,
            input.Repository, input.SnapshotId, snapshot.SystemId, input.ApprovedBy, input.DataSets, input.Into);
        if (ChecksTargetFirst())
        {
            _phase = "checking target";
            var check = await Workflow.ExecuteActivityAsync<SystemActivities, RestoreTargetCheck>(
                a => a.CheckRestoreTargetAsync(request), WorkflowActivityOptions.AgentCheck());
            RefuseTarget(input, check);
        }

        try
        {
            _phase = "opening windows";
            await Workflow.ExecuteActivityAsync<FirewallActivities, OpenWindowsResult>(
                a => a.OpenWindowsAsync(new OpenWindowsInput(input.RunId, input.Windows)), WorkflowActivityOptions.Firewall(cleanup: false));
            await StopStreamStartAsync(input, request);
        }
        finally
        {
            _phase = "closing windows";
            var closed = await Workflow.ExecuteActivityAsync<FirewallActivities, CloseWindowsResult>(
                a => a.CloseJobWindowsAsync(new CloseJobWindowsInput(input.RunId, input.Firewalls)), WorkflowActivityOptions.Firewall(cleanup: true));
            _windowsClosed = closed.Closed;
        }

        _phase = "done";
        return Progress;
    }

    private static void Refuse(RestoreInput input, FindSnapshotResult snapshot)
    {
        string? why = null;
        if (snapshot.SystemId != input.SnapshotSystemId)
        {
            why = $"snapshot {input.SnapshotId} belongs to {snapshot.SystemId}, not to {input.SnapshotSystemId}; name its owner with --system {snapshot.SystemId}";
        }
        else if (snapshot.Forgotten)
        {
            why = $"snapshot {input.SnapshotId} was removed by retention";
        }
        else if (input.TargetSystemId != snapshot.SystemId && string.IsNullOrWhiteSpace(input.ApprovedBy))
        {
            why = $"snapshot {input.SnapshotId} belongs to {snapshot.SystemId}; restoring it to {input.TargetSystemId} needs an operator's approval (--to {input.TargetSystemId} --approve)";
        }

        if (why is not null)
        {
            throw new ApplicationFailureException($"restore refused: {why}; nothing was changed", RefusedErrorType, nonRetryable: true);
        }
    }

    // Runs recorded before the target check have no check in their history; they replay without it.
    private static bool ChecksTargetFirst() => Workflow.Patched("restore-target-check");

    private static void RefuseTarget(RestoreInput input, RestoreTargetCheck check)
    {
        if (!check.Accepted)
        {
            throw new ApplicationFailureException(
                $"restore refused: {check.Refusal} (disk agent of {input.TargetSystemId}); restore into a folder inside {input.TargetSystemId}'s restore roots with --into DIR; nothing was changed",
                RefusedErrorType,
                nonRetryable: true);
        }
    }

    private async Task StopStreamStartAsync(RestoreInput input, StreamRestoreInput request)
    {
        FailureException? failure = null;
        try
        {
            if (input.StopPrograms is { } stop)
            {
                _phase = "stopping programs";
                await Workflow.ExecuteActivityAsync<SystemActivities, ScriptOutcome>(
                    a => a.StopProgramsAsync(Call(input, stop)), WorkflowActivityOptions.Script(600, cleanup: false));
            }

            _phase = "streaming";
            var outcome = await Workflow.ExecuteActivityAsync<SystemActivities, StreamOutcome>(a => a.StreamRestoreAsync(request), WorkflowActivityOptions.Stream(null));
            _bytes = outcome.Bytes;
            _files = outcome.Files;
            _alreadyCorrectFiles = outcome.AlreadyCorrectFiles;
            _alreadyCorrectBytes = outcome.AlreadyCorrectBytes;
        }
        catch (FailureException ex)
        {
            failure = ex;
        }

        // Start-programs is the cleanup of stop-programs: it runs whatever the stream did.
        if (input.StartPrograms is { } start)
        {
            _phase = "starting programs";
            await Workflow.ExecuteActivityAsync<SystemActivities, ScriptOutcome>(
                a => a.StartProgramsAsync(Call(input, start)), WorkflowActivityOptions.Script(600, cleanup: true));
            _programsStarted = true;
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    private static ScriptCallInput Call(RestoreInput input, ScriptSpec script) =>
        new(input.RunId, input.TargetSystemId, input.TargetAgentEndpoint, script.Name, script.Arguments, script.Environment);
}
