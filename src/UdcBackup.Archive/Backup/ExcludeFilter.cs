using UdcBackup.Archive.Restore;

namespace UdcBackup.Archive.Backup;

/// <summary>
/// Decides which paths a backup leaves out. A pattern containing '/' is matched against the whole
/// absolute path (leading '/' optional); one without '/' against the name of every file and folder
/// at any depth (<c>*.tmp</c>, <c>.cache</c>). <c>*</c> stays within a path segment, <c>**</c>
/// crosses segments, <c>?</c> is one character. An excluded folder is not entered at all, so
/// nothing below it is read or even listed. Blank lines and lines starting with '#' in an exclude
/// file are ignored.
/// </summary>
public sealed class ExcludeFilter
{
    private readonly List<PathPattern> _paths = [];
    private readonly List<PathPattern> _names = [];

    public ExcludeFilter(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (var raw in patterns)
        {
            var pattern = raw.Trim();
            if (pattern.Length == 0 || pattern.StartsWith('#'))
            {
                continue;
            }

            (pattern.TrimEnd('/').Contains('/', StringComparison.Ordinal) ? _paths : _names).Add(new PathPattern(pattern));
        }
    }

    public bool IsEmpty => _paths.Count == 0 && _names.Count == 0;

    /// <summary>
    /// True when <paramref name="path"/> (absolute, or in entry-stream form without the leading '/')
    /// or one of its ancestors is excluded; usable by any feeder of a backup session.
    /// </summary>
    public bool Excludes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsEmpty)
        {
            return false;
        }

        var relative = path.TrimStart('/');
        return _paths.Any(p => p.Matches(relative))
            || (_names.Count > 0 && relative.Split('/').Any(segment => _names.Any(p => p.Matches(segment))));
    }

    /// <summary>The patterns of an exclude file: one per line; blank lines and '#' comments ignored.</summary>
    public static IEnumerable<string> ReadFile(string path) =>
        File.ReadLines(path).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
}
