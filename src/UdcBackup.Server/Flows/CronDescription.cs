using System.Globalization;

namespace UdcBackup.Server.Flows;

/// <summary>
/// A plain-English reading of a cron expression (5 fields, or 6 with seconds first), field by
/// field: "at 02:30, on Monday to Friday", "every 15 minutes", "at minute 0 of hours 1,13, on
/// day 1 of the month". It describes what NCrontab accepts; ranges, lists and steps are
/// spelled out, anything else is quoted as written.
/// </summary>
public static class CronDescription
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Describe(string cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var f = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (second, minute, hour, dom, month, dow) = f.Length == 6 ? (f[0], f[1], f[2], f[3], f[4], f[5]) : (f.Length == 5 ? ("0", f[0], f[1], f[2], f[3], f[4]) : throw new ArgumentException("a cron expression has 5 fields (6 with seconds)"));
        var parts = new List<string>();
        if (IsNumber(hour) && IsNumber(minute))
        {
            parts.Add($"at {int.Parse(hour, CultureInfo.InvariantCulture):00}:{int.Parse(minute, CultureInfo.InvariantCulture):00}{(second == "0" ? string.Empty : $":{second}")}");
        }
        else
        {
            if (second != "0")
            {
                parts.Add(Field(second, "second", null));
            }

            parts.Add(minute == "*" ? "every minute" : Field(minute, "minute", null));
            if (hour != "*")
            {
                parts.Add(Field(hour, "hour", null));
            }
        }

        if (dom != "*" && dom != "?")
        {
            parts.Add(Field(dom, "day", null) + " of the month");
        }

        if (month != "*")
        {
            parts.Add("in " + Field(month, "month", Months, 1));
        }

        if (dow != "*" && dow != "?")
        {
            parts.Add("on " + Field(dow, "weekday", Days));
        }

        if (parts.Count == 1 && (dom is "*" or "?") && month == "*" && (dow is "*" or "?") && IsNumber(hour))
        {
            parts.Add("every day");
        }

        return string.Join(", ", parts);
    }

    private static bool IsNumber(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    private static string Field(string text, string unit, string[]? names, int offset = 0)
    {
        if (text.StartsWith("*/", StringComparison.Ordinal))
        {
            return $"every {text[2..]} {unit}s";
        }

        var items = text.Split(',').Select(item =>
        {
            var step = item.Split('/');
            var range = step[0].Split('-');
            var named = range.Select(r => Name(r, names, offset)).ToArray();
            var core = named.Length == 2 ? $"{named[0]} to {named[1]}" : named[0];
            return step.Length == 2 ? $"every {step[1]} {unit}s from {core}" : core;
        });
        var list = string.Join(", ", items);
        return names is null ? $"{unit} {list}" : list;
    }

    private static string Name(string value, string[]? names, int offset) =>
        names is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n - offset >= 0 && n - offset < names.Length + (offset == 0 ? 1 : 0)
            ? names[(n - offset) % names.Length]
            : value;
}
