using NCrontab;

namespace UdcBackup.Durable.Schedules;

/// <summary>
/// When a schedule fires: the union of cron expressions (5 fields, or 6 with seconds first,
/// NCrontab syntax) evaluated in <see cref="TimeZone"/>, and fixed intervals in UTC.
/// Cron times are computed as wall-clock times in the zone and converted to UTC: a wall time
/// that does not exist (spring-forward gap) does not fire; an ambiguous one (fall-back) fires
/// once, at its first (daylight) instant.
/// </summary>
public sealed record ScheduleSpec
{
    // The fields in order of a 5-field expression, with the values each takes; a 6-field one has
    // seconds (0-59) first.
    private static readonly (string Name, string Range)[] CronFields =
        [("minute", "0-59"), ("hour", "0-23"), ("day of month", "1-31"), ("month", "1-12 or jan-dec"), ("day of week", "0-6 or sun-sat, 0 = Sunday")];

    public IReadOnlyList<string> CronExpressions { get; init; } = [];

    public IReadOnlyList<ScheduleIntervalSpec> Intervals { get; init; } = [];

    /// <summary>Gets the time zone id (IANA, e.g. "Europe/Berlin") of the cron expressions; UTC when null.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Checks the spec; the message names the bad expression or zone.</summary>
    public void Validate()
    {
        if (CronExpressions.Count == 0 && Intervals.Count == 0)
        {
            throw new ArgumentException("A schedule spec needs at least one cron expression or interval.");
        }

        foreach (var cron in CronExpressions)
        {
            ParseCron(cron);
        }

        foreach (var interval in Intervals)
        {
            if (interval.Every < TimeSpan.FromSeconds(1) || interval.Offset < TimeSpan.Zero || interval.Offset >= interval.Every)
            {
                throw new ArgumentException($"Interval every {interval.Every} offset {interval.Offset}: every must be at least 1 s and 0 <= offset < every.");
            }
        }

        _ = Zone();
    }

    /// <summary>Gets the fire times in (after, until], ascending, without duplicates.</summary>
    public IEnumerable<DateTime> GetFireTimes(DateTime afterUtc, DateTime untilUtc)
    {
        var next = GetNextFireTime(afterUtc);
        while (next is { } t && t <= untilUtc)
        {
            yield return t;
            next = GetNextFireTime(t);
        }
    }

    /// <summary>Gets the first fire time strictly after <paramref name="afterUtc"/>, or null if there is none.</summary>
    public DateTime? GetNextFireTime(DateTime afterUtc)
    {
        DateTime? best = null;
        foreach (var interval in Intervals)
        {
            var sinceEpoch = afterUtc.Ticks - DateTime.UnixEpoch.Ticks - interval.Offset.Ticks;
            var k = Math.Floor((double)sinceEpoch / interval.Every.Ticks) + 1;
            var candidate = new DateTime(DateTime.UnixEpoch.Ticks + interval.Offset.Ticks + ((long)k * interval.Every.Ticks), DateTimeKind.Utc);
            while (candidate <= afterUtc)
            {
                candidate += interval.Every;
            }

            best = best is null || candidate < best ? candidate : best;
        }

        var zone = Zone();
        foreach (var expression in CronExpressions)
        {
            var candidate = NextCron(ParseCron(expression), zone, afterUtc);
            if (candidate is not null && (best is null || candidate < best))
            {
                best = candidate;
            }
        }

        return best;
    }

    private static DateTime? NextCron(CrontabSchedule cron, TimeZoneInfo zone, DateTime afterUtc)
    {
        // Walk wall-clock occurrences after "after" in the zone; skip gap times and ambiguous times
        // whose first instant already passed (the second pass of a fall-back hour fires nothing).
        var local = TimeZoneInfo.ConvertTimeFromUtc(afterUtc, zone);
        for (var i = 0; i < 100_000; i++)
        {
            local = cron.GetNextOccurrence(local, DateTime.MaxValue);
            if (local >= DateTime.MaxValue.AddDays(-1))
            {
                return null;
            }

            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            if (zone.IsInvalidTime(unspecified))
            {
                continue;
            }

            var offset = zone.IsAmbiguousTime(unspecified) ? zone.GetAmbiguousTimeOffsets(unspecified).Max() : zone.GetUtcOffset(unspecified);
            var utc = DateTime.SpecifyKind(unspecified - offset, DateTimeKind.Utc);
            if (utc > afterUtc)
            {
                return utc;
            }
        }

        return null;
    }

    private static CrontabSchedule ParseCron(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            throw new ArgumentException($"Cron expression '{expression}' must have 5 fields (minute hour day month weekday) or 6 (seconds first).");
        }

        var parsed = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
        return parsed ?? throw new ArgumentException(InvalidCronMessage(expression));
    }

    // Names the first field that does not parse on its own: each field is tried in an expression
    // whose other fields are '*', with the same parser, so the diagnosis agrees with the refusal.
    private static string InvalidCronMessage(string expression)
    {
        var parts = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var withSeconds = parts.Length == 6;
        (string Name, string Range)[] names = withSeconds ? [("second", "0-59"), .. CronFields] : CronFields;
        for (var i = 0; i < parts.Length; i++)
        {
            var alone = string.Join(' ', parts.Select((p, j) => j == i ? p : "*"));
            if (CrontabSchedule.TryParse(alone, new CrontabSchedule.ParseOptions { IncludingSeconds = withSeconds }) is null)
            {
                return $"Cron expression '{expression}' is not valid: the {names[i].Name} field '{parts[i]}' is out of range or malformed; "
                    + $"it takes {names[i].Range}, as a value, a range a-b, a list a,b, '*' or a step */n.";
            }
        }

        return $"Cron expression '{expression}' is not valid.";
    }

    private TimeZoneInfo Zone()
    {
        if (string.IsNullOrEmpty(TimeZone))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"Unknown time zone '{TimeZone}'.", ex);
        }
    }
}
