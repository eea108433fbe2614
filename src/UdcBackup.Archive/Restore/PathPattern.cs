using System.Text;
using System.Text.RegularExpressions;

namespace UdcBackup.Archive.Restore;

/// <summary>
/// An include pattern over snapshot paths: <c>*</c> matches within one path segment, <c>**</c>
/// across segments, <c>?</c> one character; a leading '/' is ignored. A pattern selects the paths
/// it matches and everything below them (so a folder name restores the whole folder).
/// </summary>
public sealed class PathPattern
{
    private readonly Regex _regex;

    public PathPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Text = pattern.Trim().TrimStart('/').TrimEnd('/');
        var regex = new StringBuilder("^");
        for (var i = 0; i < Text.Length; i++)
        {
            var c = Text[i];
            if (c == '*' && i + 1 < Text.Length && Text[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        regex.Append("(/.*)?$");
        _regex = new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    public string Text { get; }

    public bool Matches(string path) => _regex.IsMatch(path);

    /// <summary>True when any of <paramref name="patterns"/> matches, or when there are none.</summary>
    public static bool AnyMatches(IReadOnlyList<PathPattern> patterns, string path) =>
        patterns.Count == 0 || patterns.Any(p => p.Matches(path));
}
