namespace UdcBackup.Durable.Failures;

/// <summary>
/// A start was refused because a running run holds one of the exclusive keys it asked for
/// (<see cref="Client.WorkflowStartOptions.ExclusiveKeys"/>); nothing of the new run was written.
/// </summary>
public sealed class ExclusiveKeyHeldException : Exception
{
    public ExclusiveKeyHeldException(string key, string workflowId, string runId, string workflowType, DateTime startTime)
        : base($"The key '{key}' is held by the running {workflowType} run {workflowId} (started {startTime:yyyy-MM-dd HH:mm:ss}Z).")
    {
        Key = key;
        WorkflowId = workflowId;
        RunId = runId;
        WorkflowType = workflowType;
        StartTime = startTime;
    }

    /// <summary>Gets the key that is held.</summary>
    public string Key { get; }

    /// <summary>Gets the workflow id of the running run that holds it.</summary>
    public string WorkflowId { get; }

    public string RunId { get; }

    public string WorkflowType { get; }

    public DateTime StartTime { get; }
}
