namespace UdcBackup.Durable.Failures;

/// <summary>What a parent workflow sees when a child workflow fails or is cancelled; the cause is the inner exception.</summary>
public sealed class ChildWorkflowFailureException : FailureException
{
    public ChildWorkflowFailureException(string message, string workflowType, string workflowId, Exception? innerException)
        : base(message, innerException)
    {
        WorkflowType = workflowType;
        WorkflowId = workflowId;
    }

    public string WorkflowType { get; }

    public string WorkflowId { get; }
}
