namespace UdcBackup.Server.Api.Contracts;

/// <summary>One approval a run is waiting for: the node, its label, the signal name it listens to, and how long it waits at most (null: until answered).</summary>
public sealed record PendingApproval(string Node, string? Label, string Signal, string? Timeout);
