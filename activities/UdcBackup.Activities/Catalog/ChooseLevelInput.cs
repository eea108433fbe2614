using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Catalog;

/// <summary>Input of <c>catalog.choose-level</c>: the job's level pattern and the run's time.</summary>
public sealed record ChooseLevelInput(
    [property: ActivityInput(ActivityInputKind.System, "System to back up", Required = true, UiHint = "system-picker")] string SystemId,
    [property: ActivityInput(ActivityInputKind.String, "Job id", Required = true)] string JobId,
    [property: ActivityInput(ActivityInputKind.Json, "Days on which the first run is full", Default = "[]")] IReadOnlyList<DayOfWeek> FullOn,
    [property: ActivityInput(ActivityInputKind.Int, "Every Nth run is full", Minimum = 1)] int? FullEvery,
    [property: ActivityInput(ActivityInputKind.String, "IANA time zone of the schedule", Required = true)] string TimeZone,
    [property: ActivityInput(ActivityInputKind.String, "Run time (ISO 8601)", Required = true)] string RunTime);
