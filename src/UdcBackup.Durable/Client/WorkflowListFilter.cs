namespace UdcBackup.Durable.Client;

/// <summary>Filter of a workflow listing; newest first.</summary>
public sealed record WorkflowListFilter(string? WorkflowType = null, WorkflowExecutionStatus? Status = null, int Limit = 100);
