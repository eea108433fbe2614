namespace UdcBackup.Durable.Workflows;

/// <summary>Identity of the running execution, as seen by workflow code.</summary>
public sealed record WorkflowInfo(
    string WorkflowId,
    string RunId,
    string WorkflowType,
    DateTime StartTime,
    string? ParentWorkflowId,
    string? ParentRunId);
