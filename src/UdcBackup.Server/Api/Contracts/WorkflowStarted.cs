namespace UdcBackup.Server.Api.Contracts;

/// <summary>Answer of a workflow start: the ids of the new run.</summary>
public sealed record WorkflowStarted(string WorkflowId, string RunId);
