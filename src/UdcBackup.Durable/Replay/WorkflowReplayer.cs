using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;

namespace UdcBackup.Durable.Replay;

/// <summary>
/// Replays a recorded history against the current code of a workflow class, without a store or
/// activities: every command the code produces must match the recorded command events, in order;
/// for a closed history the code must produce nothing after the close. Run it in CI over recorded
/// histories so that a change that would break running executions fails the build.
/// </summary>
public static class WorkflowReplayer
{
    public static Task<WorkflowReplayResult> ReplayAsync<TWorkflow>(WorkflowHistory history) =>
        ReplayAsync(typeof(TWorkflow), history);

    /// <summary>Replays; throws <see cref="NonDeterminismException"/> naming the event where code and history differ.</summary>
    public static Task<WorkflowReplayResult> ReplayAsync(Type workflowType, WorkflowHistory history)
    {
        ArgumentNullException.ThrowIfNull(workflowType);
        ArgumentNullException.ThrowIfNull(history);
        var definition = WorkflowDefinition.Create(workflowType, null);
        if (history.Events.Count == 0 || history.Events[0].EventType != HistoryEventType.WorkflowExecutionStarted)
        {
            throw new ArgumentException("A history starts with WorkflowExecutionStarted.");
        }

        if (history.Events[0].WorkflowType is { } recordedType && recordedType != definition.Name)
        {
            throw new ArgumentException($"The history is of workflow type '{recordedType}', not '{definition.Name}'.");
        }

        var instance = new WorkflowInstance(definition, history.WorkflowId, history.RunId ?? history.WorkflowId);
        instance.BeginReplay(history.Events);
        WorkflowExecutionStatus? closedAs = null;
        foreach (var e in history.Events)
        {
            instance.Replay(e);
            closedAs = e.EventType switch
            {
                HistoryEventType.WorkflowExecutionCompleted => WorkflowExecutionStatus.Completed,
                HistoryEventType.WorkflowExecutionFailed => WorkflowExecutionStatus.Failed,
                HistoryEventType.WorkflowExecutionCanceled => WorkflowExecutionStatus.Canceled,
                _ => closedAs,
            };
        }

        if (closedAs is not null && instance.PeekCommand() is { } extra)
        {
            throw new NonDeterminismException(history.Events[^1].EventId, $"the history ends here but the workflow code produced {extra}.");
        }

        return Task.FromResult(new WorkflowReplayResult(history.Events.Count, closedAs));
    }
}
