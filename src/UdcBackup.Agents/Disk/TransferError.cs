namespace UdcBackup.Agents.Disk;

/// <summary>
/// A transfer failure reported after progress started: the HTTP status it stands for, a title, the
/// reason and the problem type the controller acts on (<see cref="Hosting.AgentProblemTypes"/>;
/// null, and then absent from the JSON, for any other failure, which an older controller reads alike).
/// </summary>
public sealed record TransferError(int Status, string Title, string? Detail, string? Type = null);
