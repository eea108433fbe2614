namespace UdcBackup.Server.Api.Contracts;

/// <summary>One line of <c>GET /api/workflows</c>.</summary>
public sealed record WorkflowSummary(string WorkflowId, string RunId, string WorkflowType, string Status, DateTime StartTime, DateTime? CloseTime);
