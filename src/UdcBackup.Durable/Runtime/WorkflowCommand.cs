using System.Text.Json;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;

namespace UdcBackup.Durable.Runtime;

/// <summary>Kinds of commands workflow code produces; each becomes one command event in history.</summary>
internal enum WorkflowCommandKind
{
    ScheduleActivity,
    RequestCancelActivity,
    StartTimer,
    CancelTimer,
    StartChildWorkflow,
    RequestCancelChildWorkflow,
    RecordMarker,
    CompleteWorkflow,
    FailWorkflow,
    CancelWorkflow,
}

/// <summary>
/// A decision of workflow code, waiting to be recorded (live) or matched against the recorded
/// command event (replay). Matching compares the kind, the command id and the activity or child
/// workflow type; payloads are not compared, so changing an argument is not a non-determinism.
/// </summary>
internal sealed record WorkflowCommand(WorkflowCommandKind Kind, int CommandId)
{
    public string? Name { get; init; }

    public string? ChildWorkflowId { get; init; }

    public JsonElement? Input { get; init; }

    public JsonElement? Options { get; init; }

    public DateTime? FireAt { get; init; }

    public JsonElement? Result { get; init; }

    public FailureInfo? Failure { get; init; }

    public HistoryEventType EventType => Kind switch
    {
        WorkflowCommandKind.ScheduleActivity => HistoryEventType.ActivityTaskScheduled,
        WorkflowCommandKind.RequestCancelActivity => HistoryEventType.ActivityTaskCancelRequested,
        WorkflowCommandKind.StartTimer => HistoryEventType.TimerStarted,
        WorkflowCommandKind.CancelTimer => HistoryEventType.TimerCanceled,
        WorkflowCommandKind.StartChildWorkflow => HistoryEventType.ChildWorkflowExecutionStarted,
        WorkflowCommandKind.RequestCancelChildWorkflow => HistoryEventType.ChildWorkflowCancelRequestInitiated,
        WorkflowCommandKind.RecordMarker => HistoryEventType.MarkerRecorded,
        WorkflowCommandKind.CompleteWorkflow => HistoryEventType.WorkflowExecutionCompleted,
        WorkflowCommandKind.FailWorkflow => HistoryEventType.WorkflowExecutionFailed,
        _ => HistoryEventType.WorkflowExecutionCanceled,
    };

    public bool IsClose => Kind is WorkflowCommandKind.CompleteWorkflow or WorkflowCommandKind.FailWorkflow or WorkflowCommandKind.CancelWorkflow;

    /// <summary>Gets a value indicating whether this is a marker, which has no command id: a patch adds no id, so the ids after it stay those of runs recorded without it.</summary>
    public bool IsMarker => Kind == WorkflowCommandKind.RecordMarker;

    /// <summary>Builds the history event recording this command.</summary>
    public HistoryEvent ToEvent(long eventId, DateTime timestamp, string? childRunId = null) => new()
    {
        EventId = eventId,
        EventType = EventType,
        Timestamp = timestamp,
        CommandId = IsClose || IsMarker ? null : CommandId,
        ActivityType = Kind == WorkflowCommandKind.ScheduleActivity ? Name : null,
        WorkflowType = Kind == WorkflowCommandKind.StartChildWorkflow ? Name : null,
        WorkflowId = ChildWorkflowId,
        RunId = childRunId,
        MarkerName = IsMarker ? Name : null,
        Input = Input,
        Options = Options,
        FireAt = FireAt,
        Result = Result,
        Failure = Failure,
    };

    /// <summary>Checks that a recorded command event is the one this command would record.</summary>
    public bool Matches(HistoryEvent recorded) =>
        recorded.EventType == EventType
        && (IsClose || IsMarker || recorded.CommandId == CommandId)
        && (!IsMarker || recorded.MarkerName == Name)
        && (Kind != WorkflowCommandKind.ScheduleActivity || recorded.ActivityType == Name)
        && (Kind != WorkflowCommandKind.StartChildWorkflow || recorded.WorkflowType == Name);

    public override string ToString() => Kind switch
    {
        WorkflowCommandKind.ScheduleActivity => $"ActivityTaskScheduled(command {CommandId}, activity '{Name}')",
        WorkflowCommandKind.StartChildWorkflow => $"ChildWorkflowExecutionStarted(command {CommandId}, workflow '{Name}')",
        WorkflowCommandKind.RecordMarker => $"MarkerRecorded(patch '{Name}')",
        _ when IsClose => EventType.ToString(),
        _ => $"{EventType}(command {CommandId})",
    };

    public static string Describe(HistoryEvent e) => e.EventType switch
    {
        HistoryEventType.ActivityTaskScheduled => $"ActivityTaskScheduled(command {e.CommandId}, activity '{e.ActivityType}')",
        HistoryEventType.ChildWorkflowExecutionStarted => $"ChildWorkflowExecutionStarted(command {e.CommandId}, workflow '{e.WorkflowType}')",
        HistoryEventType.MarkerRecorded => $"MarkerRecorded(patch '{e.MarkerName}')",
        _ when e.CommandId is null => e.EventType.ToString(),
        _ => $"{e.EventType}(command {e.CommandId})",
    };
}
