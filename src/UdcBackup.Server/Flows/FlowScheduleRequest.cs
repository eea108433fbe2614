namespace UdcBackup.Server.Flows;

/// <summary>
/// Body of <c>POST /api/flows/{id}/schedule</c>: a cron expression (5 fields, or 6 with seconds),
/// its IANA time zone (UTC when empty), the overlap policy (Skip, BufferOne, AllowAll; Skip by
/// default) and a fixed version (default: follow the newest published version).
/// </summary>
public sealed record FlowScheduleRequest(string? Cron, string? TimeZone = null, string? Overlap = null, int? Version = null);
