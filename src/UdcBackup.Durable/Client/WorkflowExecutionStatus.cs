namespace UdcBackup.Durable.Client;

/// <summary>Status of an execution; the numeric values are stored.</summary>
public enum WorkflowExecutionStatus
{
    Running = 1,
    Completed = 2,
    Failed = 3,
    Canceled = 4,
    ContinuedAsNew = 5,
}
