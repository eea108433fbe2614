namespace UdcBackup.Site.Planning;

/// <summary>
/// What to restore: the snapshot's system, where to (default: the same system) and, when more than
/// one job backs the system up, which media agent and repository hold the snapshot.
/// </summary>
public sealed record RestoreRequest(string SourceSystemId, string? TargetSystemId = null, string? MediaAgentId = null, string? Repository = null);
