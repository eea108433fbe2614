using System.Text.Json;

namespace UdcBackup.Server.Api.Contracts;

/// <summary>A schedule as the API shows it: its definition, whether it is paused and why, and what it did and will do.</summary>
public sealed record ScheduleInfo(
    string ScheduleId,
    string WorkflowType,
    JsonElement? Input,
    IReadOnlyList<string> CronExpressions,
    IReadOnlyList<TimeSpan> Intervals,
    string TimeZone,
    string OverlapPolicy,
    TimeSpan CatchupWindow,
    bool Paused,
    string? Note,
    DateTime CreatedAt,
    IReadOnlyList<DateTime> NextFireTimes,
    IReadOnlyList<ScheduleAction> RecentActions,
    IReadOnlyList<string> RunningWorkflowIds,
    DateTime? BufferedFireTime);
