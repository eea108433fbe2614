namespace UdcBackup.Durable.Bench;

/// <summary>Nearest-rank percentiles of a sample of durations in milliseconds.</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> sortedMillis, double percentile)
    {
        if (sortedMillis.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * sortedMillis.Count);
        return sortedMillis[Math.Clamp(rank - 1, 0, sortedMillis.Count - 1)];
    }
}
