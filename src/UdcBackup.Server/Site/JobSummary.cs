namespace UdcBackup.Server.Site;

/// <summary>One backup or restore run in <c>GET /api/jobs</c>.</summary>
public sealed record JobSummary(string Id, string WorkflowType, string Status, DateTime StartTime, DateTime? CloseTime);
