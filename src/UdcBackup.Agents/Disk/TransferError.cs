namespace UdcBackup.Agents.Disk;

/// <summary>A transfer failure reported after progress started: the HTTP status it stands for, a title and the reason.</summary>
public sealed record TransferError(int Status, string Title, string? Detail);
