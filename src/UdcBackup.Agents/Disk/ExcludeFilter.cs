using UdcBackup.Archive.Restore;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// Exclude patterns of a data set. A pattern without '/' matches any single name of a path
/// (<c>*.tmp</c>, <c>lost+found</c>); a pattern with '/' matches the absolute path (<c>*</c> within
/// a segment, <c>**</c> across). A match excludes everything below it as well.
/// </summary>
public sealed class ExcludeFilter
{
    private readonly List<PathPattern> _names = [];
    private readonly List<PathPattern> _paths = [];

    public ExcludeFilter(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (var pattern in patterns.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            (pattern.Contains('/', StringComparison.Ordinal) ? _paths : _names).Add(new PathPattern(pattern));
        }
    }

    /// <summary>True when the entry at <paramref name="relativePath"/> (entry-stream form, no leading '/') is excluded.</summary>
    public bool Excludes(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (_paths.Any(p => p.Matches(relativePath)))
        {
            return true;
        }

        return _names.Count > 0 && relativePath.Split('/').Any(segment => _names.Any(p => p.Matches(segment)));
    }
}
