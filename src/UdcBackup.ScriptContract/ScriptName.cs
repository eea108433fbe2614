using System.Text.RegularExpressions;

namespace UdcBackup.ScriptContract;

/// <summary>
/// How a pre/post script is named: relative to the disk agent's allowed script folder, as one or
/// more '/'-separated segments (so scripts can be grouped in folders) of letters, digits, '.', '_'
/// and '-', each starting with a letter or digit and at most <see cref="MaxSegmentLength"/>
/// characters. No segment can be '.', '..' or hidden, and a name is never absolute, so a name
/// alone cannot leave the folder (the agent still resolves symbolic links and checks the result).
/// The site model checks it when a site is saved, the designer offers <see cref="Pattern"/>, and the
/// disk agent checks it again before it runs anything: one rule, so that a script the controller
/// accepts is one the agent accepts.
/// </summary>
public static partial class ScriptName
{
    /// <summary>The longest segment, in characters.</summary>
    public const int MaxSegmentLength = 128;

    /// <summary>The whole rule as a regular expression without anchors (for forms and the activity catalog).</summary>
    public const string Pattern = Segment + "(/" + Segment + ")*";

    /// <summary>What a valid name looks like, for refusals.</summary>
    public const string Description = "'/'-separated segments of letters, digits, '.', '_' and '-', each starting with a letter or digit";

    private const string Segment = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    /// <summary>True when <paramref name="name"/> follows the rule in the class summary.</summary>
    public static bool IsValid(string? name) => name is not null && NamePattern().IsMatch(name);

    [GeneratedRegex("^" + Pattern + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
