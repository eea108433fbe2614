namespace UdcBackup.Server.Api.Contracts;

/// <summary>One run a schedule started: the fire time it was for and its workflow id.</summary>
public sealed record ScheduleRun(DateTime FireTime, string WorkflowId);
