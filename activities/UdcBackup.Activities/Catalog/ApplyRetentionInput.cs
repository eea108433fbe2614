using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Catalog;

/// <summary>Input of <c>catalog.apply-retention</c>: the job's policy for one system's snapshots.</summary>
public sealed record ApplyRetentionInput(
    [property: ActivityInput(ActivityInputKind.System, "System whose snapshots are thinned", Required = true, UiHint = "system-picker")] string SystemId,
    [property: ActivityInput(ActivityInputKind.String, "Job whose snapshots are thinned", Required = true)] string JobId,
    [property: ActivityInput(ActivityInputKind.String, "Media agent endpoint host:port", Required = true, Pattern = @"\S+:[0-9]{1,5}")] string MediaEndpoint,
    [property: ActivityInput(ActivityInputKind.String, "Repository", Required = true)] string Repository,
    [property: ActivityInput(ActivityInputKind.Int, "Keep the last N", Minimum = 0)] int KeepLast,
    [property: ActivityInput(ActivityInputKind.Int, "Keep the newest of each of the last N days", Minimum = 0)] int KeepDaily,
    [property: ActivityInput(ActivityInputKind.Int, "... weeks", Minimum = 0)] int KeepWeekly,
    [property: ActivityInput(ActivityInputKind.Int, "... months", Minimum = 0)] int KeepMonthly,
    [property: ActivityInput(ActivityInputKind.Int, "... years", Minimum = 0)] int KeepYearly);
