using System.Globalization;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Retention;

/// <summary>
/// Which snapshots to keep, applied separately to each group (by default host + paths, or the
/// values of the tags named in <see cref="GroupByTags"/>). Within a group, newest first: the last
/// <see cref="Last"/> are kept, then for each calendar bucket (hour, day, ISO week, month, year, in
/// UTC) the newest snapshot of each of the most recent N buckets. A snapshot kept by any rule stays.
/// </summary>
public sealed record RetentionPolicy
{
    public int Last { get; init; }

    public int Hourly { get; init; }

    public int Daily { get; init; }

    public int Weekly { get; init; }

    public int Monthly { get; init; }

    public int Yearly { get; init; }

    public IReadOnlyList<string> GroupByTags { get; init; } = [];

    public bool KeepsNothing => Last == 0 && Hourly == 0 && Daily == 0 && Weekly == 0 && Monthly == 0 && Yearly == 0;

    /// <summary>A negative count keeps nothing yet counts as a rule, so a policy holding one would forget every snapshot.</summary>
    public bool HasNegativeCount => Last < 0 || Hourly < 0 || Daily < 0 || Weekly < 0 || Monthly < 0 || Yearly < 0;

    /// <summary>Splits <paramref name="snapshots"/> into kept (with the rules that keep each) and removed.</summary>
    public (List<(Snapshot Snapshot, List<string> Reasons)> Keep, List<Snapshot> Remove) Apply(IEnumerable<Snapshot> snapshots)
    {
        var keep = new List<(Snapshot, List<string>)>();
        var remove = new List<Snapshot>();
        foreach (var group in snapshots.GroupBy(GroupKey))
        {
            var ordered = group.OrderByDescending(s => s.Time).ToList();
            var reasons = ordered.ToDictionary(s => s.Id, _ => new List<string>());
            for (var i = 0; i < Math.Min(Last, ordered.Count); i++)
            {
                reasons[ordered[i].Id].Add("last");
            }

            Bucket(ordered, Hourly, "hourly", t => t.ToString("yyyy-MM-dd HH", CultureInfo.InvariantCulture), reasons);
            Bucket(ordered, Daily, "daily", t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reasons);
            Bucket(ordered, Weekly, "weekly", t => $"{ISOWeek.GetYear(t.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(t.UtcDateTime)}", reasons);
            Bucket(ordered, Monthly, "monthly", t => t.ToString("yyyy-MM", CultureInfo.InvariantCulture), reasons);
            Bucket(ordered, Yearly, "yearly", t => t.ToString("yyyy", CultureInfo.InvariantCulture), reasons);
            foreach (var snapshot in ordered)
            {
                if (reasons[snapshot.Id].Count > 0)
                {
                    keep.Add((snapshot, reasons[snapshot.Id]));
                }
                else
                {
                    remove.Add(snapshot);
                }
            }
        }

        return (keep, remove);
    }

    private string GroupKey(Snapshot snapshot) => GroupByTags.Count == 0
        ? $"{snapshot.Host}\n{string.Join('\n', snapshot.Paths)}"
        : string.Join('\n', GroupByTags.Select(t => snapshot.Tags.TryGetValue(t, out var v) ? $"{t}={v}" : $"{t}="));

    private static void Bucket(List<Snapshot> ordered, int count, string rule, Func<DateTimeOffset, string> bucketOf, Dictionary<Format.BlobId, List<string>> reasons)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var snapshot in ordered)
        {
            if (seen.Count >= count)
            {
                return;
            }

            if (seen.Add(bucketOf(snapshot.Time.ToUniversalTime())))
            {
                reasons[snapshot.Id].Add(rule);
            }
        }
    }
}
