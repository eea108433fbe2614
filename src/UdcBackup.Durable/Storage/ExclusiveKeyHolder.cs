namespace UdcBackup.Durable.Storage;

/// <summary>A running run that holds an exclusive key a start asked for.</summary>
public sealed record ExclusiveKeyHolder(string Key, string WorkflowId, string RunId, string WorkflowType, DateTime StartTime);
