namespace UdcBackup.Durable.Failures;

/// <summary>Thrown to a client waiting for a result when the execution failed or was cancelled; the cause is the inner exception.</summary>
public sealed class WorkflowFailedException : Exception
{
    public WorkflowFailedException(string workflowId, string runId, Client.WorkflowExecutionStatus status, Exception? innerException)
        : base($"Workflow {workflowId} (run {runId}) ended {status}: {innerException?.Message}", innerException)
    {
        WorkflowId = workflowId;
        RunId = runId;
        Status = status;
    }

    public string WorkflowId { get; }

    public string RunId { get; }

    public Client.WorkflowExecutionStatus Status { get; }
}
