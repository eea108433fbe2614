namespace UdcBackup.Durable.History;

/// <summary>
/// Every kind of event of an execution's history. "Command" events are produced by workflow code
/// and checked on replay; the others resolve a command or bring input from outside. The numeric
/// values are stored and must never change.
/// </summary>
public enum HistoryEventType
{
    WorkflowExecutionStarted = 1,
    WorkflowExecutionCompleted = 2,
    WorkflowExecutionFailed = 3,
    WorkflowExecutionCanceled = 4,
    WorkflowExecutionContinuedAsNew = 5,
    WorkflowCancelRequested = 6,
    WorkflowSignaled = 7,
    ActivityTaskScheduled = 10,
    ActivityTaskStarted = 11,
    ActivityTaskCompleted = 12,
    ActivityTaskFailed = 13,
    ActivityTaskTimedOut = 14,
    ActivityTaskCancelRequested = 15,

    /// <summary>An attempt was cut short by a stop, crash or lost lease of the node running it; not counted against MaximumAttempts.</summary>
    ActivityTaskAttemptInterrupted = 16,
    TimerStarted = 20,
    TimerFired = 21,
    TimerCanceled = 22,
    ChildWorkflowExecutionStarted = 30,
    ChildWorkflowExecutionCompleted = 31,
    ChildWorkflowExecutionFailed = 32,
    ChildWorkflowCancelRequestInitiated = 33,
    ChildWorkflowCancelRequestDelivered = 34,

    /// <summary>A marker of the workflow code (<see cref="HistoryEvent.MarkerName"/>): a patch taken by <c>Workflow.Patched</c>.</summary>
    MarkerRecorded = 40,
}
