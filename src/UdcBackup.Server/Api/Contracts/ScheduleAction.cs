namespace UdcBackup.Server.Api.Contracts;

/// <summary>One firing of a schedule and what came of it.</summary>
/// <param name="ScheduledTime">The fire time it was for.</param>
/// <param name="ActualTime">When it was handled.</param>
/// <param name="Outcome">Started, Skipped, Buffered, Missed, AlreadyStarted or Failed.</param>
/// <param name="WorkflowId">The run it started or would have started.</param>
/// <param name="Message">Why, when it did not start.</param>
public sealed record ScheduleAction(DateTime ScheduledTime, DateTime ActualTime, string Outcome, string? WorkflowId, string? Message);
