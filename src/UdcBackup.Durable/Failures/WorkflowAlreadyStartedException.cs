namespace UdcBackup.Durable.Failures;

/// <summary>A start was refused because an execution with that workflow id is running (or, with <c>RejectDuplicate</c>, exists at all).</summary>
public sealed class WorkflowAlreadyStartedException : Exception
{
    public WorkflowAlreadyStartedException(string workflowId, string? runId)
        : base($"Workflow id '{workflowId}' is already in use" + (runId is null ? "." : $" by run {runId}."))
    {
        WorkflowId = workflowId;
        RunId = runId;
    }

    public string WorkflowId { get; }

    public string? RunId { get; }
}
