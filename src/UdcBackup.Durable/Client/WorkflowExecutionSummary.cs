using System.Text.Json;

namespace UdcBackup.Durable.Client;

/// <summary>One line of a workflow listing; <see cref="Input"/> is the run's input as started, <see cref="Result"/> what it completed with (both read from the run's row, no history).</summary>
public sealed record WorkflowExecutionSummary(
    string WorkflowId,
    string RunId,
    string WorkflowType,
    WorkflowExecutionStatus Status,
    DateTime StartTime,
    DateTime? CloseTime)
{
    /// <summary>Gets the run's input (null when it was started without one).</summary>
    public JsonElement? Input { get; init; }

    /// <summary>Gets the run's result (null while it runs, or when it closed without one).</summary>
    public JsonElement? Result { get; init; }
}
