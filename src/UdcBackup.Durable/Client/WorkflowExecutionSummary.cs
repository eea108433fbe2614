namespace UdcBackup.Durable.Client;

/// <summary>One line of a workflow listing.</summary>
public sealed record WorkflowExecutionSummary(
    string WorkflowId,
    string RunId,
    string WorkflowType,
    WorkflowExecutionStatus Status,
    DateTime StartTime,
    DateTime? CloseTime);
