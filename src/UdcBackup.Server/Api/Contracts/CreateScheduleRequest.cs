using System.Text.Json;

namespace UdcBackup.Server.Api.Contracts;

/// <summary>Body of <c>POST /api/schedules</c>. Exactly one of <see cref="Cron"/> and <see cref="Interval"/> is given.</summary>
/// <param name="Id">The schedule id; also the prefix of the workflow ids it starts (id + fire time).</param>
/// <param name="WorkflowType">The workflow type each firing starts.</param>
/// <param name="Input">The input of every started run.</param>
/// <param name="Cron">A cron expression (5 fields, or 6 with seconds first).</param>
/// <param name="Interval">A fixed interval instead of a cron expression.</param>
/// <param name="TimeZone">IANA time zone the cron expression is read in (default UTC).</param>
/// <param name="OverlapPolicy">What a firing does while the previous run still runs: Skip, BufferOne, AllowAll (default Skip).</param>
/// <param name="CatchupWindow">How late a missed firing (controller down) may still start (default one hour).</param>
/// <param name="Paused">Create the schedule paused.</param>
/// <param name="Note">Why it is paused, or any note.</param>
public sealed record CreateScheduleRequest(
    string? Id,
    string? WorkflowType,
    JsonElement? Input,
    string? Cron,
    TimeSpan? Interval,
    string? TimeZone,
    string? OverlapPolicy,
    TimeSpan? CatchupWindow,
    bool Paused,
    string? Note);
