using System.Globalization;
using System.Text.RegularExpressions;

namespace UdcBackup.Cli.Client;

/// <summary>Reads durations as operators write them: <c>500ms</c>, <c>30s</c>, <c>15m</c>, <c>2h</c>, <c>1d</c>, or <c>hh:mm:ss</c>.</summary>
public static partial class Durations
{
    public static TimeSpan? Parse(string? text, string optionName)
    {
        if (text is null)
        {
            return null;
        }

        var match = Unit().Match(text.Trim());
        if (match.Success)
        {
            var n = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            var value = match.Groups["u"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
            if (value > TimeSpan.Zero)
            {
                return value;
            }
        }
        else if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        throw new CliUsageException($"{optionName}: '{text}' is not a positive duration (e.g. 30s, 15m, 2h, 1d or 01:30:00).");
    }

    /// <summary>Writes a duration the way <see cref="Parse"/> reads it: one unit when it fits (<c>4m</c>, <c>6h</c>, <c>1d</c>), else <c>hh:mm:ss</c>.</summary>
    public static string Format(TimeSpan value)
    {
        foreach (var (unit, size) in Units)
        {
            if (value > TimeSpan.Zero && value.Ticks % size.Ticks == 0)
            {
                return $"{value.Ticks / size.Ticks}{unit}";
            }
        }

        return value.ToString();
    }

    private static readonly (string Unit, TimeSpan Size)[] Units =
        [("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)), ("ms", TimeSpan.FromMilliseconds(1))];

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)(?<u>ms|s|m|h|d)$")]
    private static partial Regex Unit();
}
