using System.Text.Json;
using System.Text.Json.Serialization;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Durable.History;

/// <summary>
/// One event of an execution's history. A flat record: which optional fields are set depends on
/// <see cref="EventType"/> (see docs/design/durable-runtime.md for the table). Payloads
/// (<see cref="Input"/>, <see cref="Result"/>, <see cref="Details"/>) are raw JSON.
/// </summary>
public sealed record HistoryEvent
{
    /// <summary>Gets the 1-based position of the event in its run's history.</summary>
    public long EventId { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<HistoryEventType>))]
    public HistoryEventType EventType { get; init; }

    /// <summary>Gets the time the event was recorded (UTC); workflow code's UtcNow is the time of the last applied event.</summary>
    public DateTime Timestamp { get; init; }

    /// <summary>Gets the command id (activity, timer or child sequence number in this run) the event belongs to.</summary>
    public int? CommandId { get; init; }

    /// <summary>Gets the workflow type (Started) or child workflow type.</summary>
    public string? WorkflowType { get; init; }

    /// <summary>Gets the child workflow id (child events) or the parent workflow id (Started).</summary>
    public string? WorkflowId { get; init; }

    /// <summary>Gets the child run id (child events) or the parent run id (Started).</summary>
    public string? RunId { get; init; }

    public string? ActivityType { get; init; }

    /// <summary>Gets the activity options (ActivityTaskScheduled), as given by workflow code.</summary>
    public JsonElement? Options { get; init; }

    public int? Attempt { get; init; }

    public string? SignalName { get; init; }

    public JsonElement? Input { get; init; }

    public JsonElement? Result { get; init; }

    public FailureInfo? Failure { get; init; }

    /// <summary>Gets the fire time of a timer (TimerStarted).</summary>
    public DateTime? FireAt { get; init; }

    /// <summary>Gets the marker's name (MarkerRecorded): the patch id given to <c>Workflow.Patched</c>.</summary>
    public string? MarkerName { get; init; }

    /// <summary>Gets free text: the cancel reason, the schedule that started the run, and similar.</summary>
    public string? Details { get; init; }

    /// <summary>Gets the command id of the parent's child command (Started of a child run).</summary>
    public int? ParentCommandId { get; init; }

    /// <summary>Gets a value indicating whether this is an event produced by workflow code (checked on replay).</summary>
    [JsonIgnore]
    public bool IsCommand => EventType is HistoryEventType.ActivityTaskScheduled or HistoryEventType.ActivityTaskCancelRequested
        or HistoryEventType.TimerStarted or HistoryEventType.TimerCanceled or HistoryEventType.ChildWorkflowExecutionStarted
        or HistoryEventType.ChildWorkflowCancelRequestInitiated or HistoryEventType.MarkerRecorded
        or HistoryEventType.WorkflowExecutionCompleted or HistoryEventType.WorkflowExecutionFailed
        or HistoryEventType.WorkflowExecutionCanceled or HistoryEventType.WorkflowExecutionContinuedAsNew;
}
