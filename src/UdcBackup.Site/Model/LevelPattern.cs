namespace UdcBackup.Site.Model;

/// <summary>
/// Chooses full or incremental for a run. Exactly one rule is set:
/// <see cref="FullOn"/> — the first run on one of these local days is full, every other run incremental;
/// <see cref="FullEvery"/> — every Nth run is full (1 = always full).
/// With no full snapshot yet the run is always full.
/// </summary>
public sealed record LevelPattern(IReadOnlyList<DayOfWeek> FullOn, int? FullEvery)
{
    /// <param name="runTime">Scheduled time of the run.</param>
    /// <param name="zone">The job's time zone, which decides what "Sunday" is.</param>
    /// <param name="lastFullAt">When the newest full snapshot of the system was taken, if any.</param>
    /// <param name="incrementalsSinceLastFull">Incremental runs since that full snapshot.</param>
    public BackupLevel ChooseLevel(DateTimeOffset runTime, TimeZoneInfo zone, DateTimeOffset? lastFullAt, int incrementalsSinceLastFull)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (lastFullAt is null)
        {
            return BackupLevel.Full;
        }

        if (FullEvery is int every)
        {
            return incrementalsSinceLastFull >= every - 1 ? BackupLevel.Full : BackupLevel.Incremental;
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(runTime, zone).DateTime);
        var lastFullDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(lastFullAt.Value, zone).DateTime);
        return FullOn.Contains(today.DayOfWeek) && lastFullDay < today ? BackupLevel.Full : BackupLevel.Incremental;
    }
}
