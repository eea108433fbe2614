namespace UdcBackup.Server.Api.Contracts;

/// <summary>Answer of <c>POST /api/schedules/{id}/trigger</c>: the run it started.</summary>
public sealed record ScheduleTriggered(string ScheduleId, string WorkflowId);
