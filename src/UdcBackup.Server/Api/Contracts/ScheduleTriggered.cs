namespace UdcBackup.Server.Api.Contracts;

/// <summary>Answer of <c>POST /api/schedules/{id}/trigger</c>: what the firing did (the overlap policy applies).</summary>
public sealed record ScheduleTriggered(string ScheduleId, string Outcome, string? WorkflowId, string? Message);
