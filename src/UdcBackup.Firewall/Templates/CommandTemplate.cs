using System.Text;
using System.Text.RegularExpressions;

namespace UdcBackup.Firewall.Templates;

/// <summary>
/// Placeholder substitution for command templates. Each template entry stays exactly one
/// argument after substitution; values come from typed, validated sources (addresses, ports, job
/// ids) or pass <see cref="IsSafeHandle"/>, so no value can add an argument or carry control text.
/// </summary>
public static partial class CommandTemplate
{
    /// <summary>Placeholders describing a window.</summary>
    public static readonly IReadOnlyList<string> WindowPlaceholders = ["port", "source", "destination", "protocol", "job", "tag"];

    /// <summary>Throws when a template is empty or names a placeholder not in <paramref name="allowed"/>.</summary>
    public static void Validate(IList<string> template, string what, IReadOnlyCollection<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (template.Count == 0 || string.IsNullOrWhiteSpace(template[0]))
        {
            throw new ArgumentException($"The {what} command is not configured", what);
        }

        if (template[0].Contains('{', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} command's program may not be a placeholder", what);
        }

        foreach (var entry in template)
        {
            foreach (Match m in PlaceholderPattern().Matches(entry))
            {
                if (!allowed.Contains(m.Groups[1].Value))
                {
                    throw new ArgumentException(
                        $"The {what} command uses {{{m.Groups[1].Value}}}; allowed here: {string.Join(' ', allowed.Select(a => "{" + a + "}"))}",
                        what);
                }
            }
        }
    }

    /// <summary>Replaces placeholders in every entry; each entry stays one argument.</summary>
    public static IReadOnlyList<string> Render(IList<string> template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        return template
            .Select(entry => PlaceholderPattern().Replace(entry, m => values.TryGetValue(m.Groups[1].Value, out var v)
                ? v
                : throw new ArgumentException($"No value for placeholder {m.Value}", nameof(values))))
            .ToList();
    }

    /// <summary>The values of a window's placeholders.</summary>
    public static Dictionary<string, string> ValuesOf(FirewallWindowRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["port"] = request.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["source"] = request.Source.ToString(),
            ["destination"] = request.Destination.ToString(),
            ["protocol"] = request.Protocol.ToString().ToLowerInvariant(),
            ["job"] = request.JobId,
            ["tag"] = request.Tag,
        };
    }

    /// <summary>A handle printed by a firewall command is used only if it is short and plain.</summary>
    public static bool IsSafeHandle(string handle) => HandlePattern().IsMatch(handle);

    /// <summary>Describes arguments for a message, one per bracket, so spaces stay visible.</summary>
    public static string Describe(IEnumerable<string> arguments)
    {
        var text = new StringBuilder();
        foreach (var a in arguments)
        {
            text.Append('[').Append(a).Append(']');
        }

        return text.ToString();
    }

    [GeneratedRegex(@"\{([a-z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex("^[A-Za-z0-9._:/=-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex HandlePattern();
}
