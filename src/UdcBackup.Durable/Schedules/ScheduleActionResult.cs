namespace UdcBackup.Durable.Schedules;

/// <summary>One firing of a schedule and what came of it (Started, Skipped, Buffered, Missed, AlreadyStarted, Failed).</summary>
public sealed record ScheduleActionResult(DateTime ScheduledTime, DateTime ActualTime, string Outcome, string? WorkflowId, string? Message = null);
