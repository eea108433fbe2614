using System.Text.Json.Serialization;

namespace UdcBackup.Site.Model;

/// <summary>
/// Which snapshots to keep: the last N, and the newest one of each of the last N days, weeks,
/// months and years (0 = that rule keeps nothing). A snapshot kept by any rule is kept.
/// </summary>
public sealed record RetentionPolicy(int KeepLast, int KeepDaily, int KeepWeekly, int KeepMonthly, int KeepYearly)
{
    [JsonIgnore]
    public bool KeepsAnything => KeepLast > 0 || KeepDaily > 0 || KeepWeekly > 0 || KeepMonthly > 0 || KeepYearly > 0;
}
