using System.Globalization;

namespace UdcBackup.Cli.Client;

/// <summary>
/// Reads a time bound as operators write it for <c>--since</c> / <c>--until</c>: either a
/// duration back from now (<c>24h</c>, <c>7d</c>, <c>01:30:00</c>, as <see cref="Durations"/>
/// reads them) or an ISO 8601 time, where a time without an offset is UTC (as the controller reads
/// it). The answer is an ISO 8601 UTC text for the API's query string. Anything else is a
/// <see cref="CliUsageException"/> naming the option (exit code 2, nothing sent).
/// </summary>
public static class TimeBounds
{
    public static string? Parse(string? text, string optionName, DateTimeOffset now)
    {
        if (text is null)
        {
            return null;
        }

        var trimmed = text.Trim();

        // A time has a '-' between its date parts; a duration never does, so try the time first
        // and fall back to a duration, whose error message lists both forms.
        if (trimmed.Contains('-', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return Format(time);
        }

        try
        {
            return Format(now - Durations.Parse(trimmed, optionName)!.Value);
        }
        catch (CliUsageException)
        {
            throw new CliUsageException($"{optionName}: '{text}' is neither a duration back from now (e.g. 30m, 24h, 7d) nor an ISO 8601 time (e.g. 2026-11-21T08:00:00Z).");
        }
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
