namespace UdcBackup.Durable.Failures;

/// <summary>No execution with the given workflow id (and run id, if given) exists.</summary>
public sealed class WorkflowNotFoundException : Exception
{
    public WorkflowNotFoundException(string workflowId, string? runId = null)
        : base(runId is null ? $"No workflow execution with id '{workflowId}'." : $"No workflow execution '{workflowId}' with run id '{runId}'.")
    {
        WorkflowId = workflowId;
        RunId = runId;
    }

    public string WorkflowId { get; }

    public string? RunId { get; }
}
