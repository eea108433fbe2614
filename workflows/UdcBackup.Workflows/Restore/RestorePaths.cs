using UdcBackup.Activities.Systems;

namespace UdcBackup.Workflows.Restore;

/// <summary>
/// The paths an operator selects for a restore (<c>--path</c>): absolute, normalized paths, each
/// equal to or below a path of the restored data sets. Narrowing keeps the data sets' names,
/// excludes and restore mode and replaces their paths with the selected paths inside them, so the
/// disk agent restores (and, for a replace data set, replaces) only below the selection; the
/// agent order derives its includes and replace roots from the data sets' paths as before.
/// </summary>
public static class RestorePaths
{
    /// <summary>What a selected path must be, worded to follow its value.</summary>
    public const string Rule = "is not an absolute, normalized path: write it as /folder/file, without '.', '..', '//' or a trailing '/'";

    /// <summary>True for an absolute path other than "/" without empty, "." or ".." segments.</summary>
    public static bool IsNormalized(string? path) =>
        path is { Length: > 1 } && path[0] == '/' && !path.Contains('\0', StringComparison.Ordinal)
        && path[1..].Split('/').All(segment => segment is not ("" or "." or ".."));

    /// <summary>
    /// <paramref name="dataSets"/> of <paramref name="systemId"/> narrowed to <paramref name="paths"/>;
    /// a data set without a selected path inside it is left out.
    /// </summary>
    /// <exception cref="ArgumentException">A path is not normalized, or lies inside none of the data sets.</exception>
    public static IReadOnlyList<DataSetSpec> Narrow(IReadOnlyList<DataSetSpec> dataSets, IReadOnlyList<string> paths, string systemId)
    {
        ArgumentNullException.ThrowIfNull(dataSets);
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("paths is empty: name at least one path to restore, or leave paths out to restore every data set.");
        }

        var all = string.Join(", ", dataSets.SelectMany(d => d.Paths).Distinct(StringComparer.Ordinal));
        foreach (var path in paths)
        {
            if (!IsNormalized(path))
            {
                throw new ArgumentException($"path '{path}' {Rule}.");
            }

            // The agents read '*' and '?' in an include as a pattern, which a restore to the original
            // places refuses and a restore into a folder would widen: a selection is paths only.
            if (path.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                throw new ArgumentException($"path '{path}' holds '*' or '?': a restore selects paths, not patterns; name each path.");
            }

            if (!dataSets.Any(d => d.Paths.Any(p => Contains(p, path))))
            {
                throw new ArgumentException($"path '{path}' is not inside a data set of {systemId}: name a path equal to or below one of {all}.");
            }
        }

        // A path below another selected one adds nothing and would be a second replace root inside the first.
        var selected = paths.Distinct(StringComparer.Ordinal).Where(p => !paths.Any(other => other != p && Contains(other, p))).ToList();
        return [
            .. dataSets
                .Select(d => d with { Paths = [.. selected.Where(s => d.Paths.Any(p => Contains(p, s)))] })
                .Where(d => d.Paths.Count > 0),
        ];
    }

    // The site allows a data set path with a trailing or doubled '/'; compare it by its segments.
    private static bool Contains(string folder, string path)
    {
        var root = "/" + string.Join('/', folder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        return path == root || path.StartsWith(root == "/" ? root : root + "/", StringComparison.Ordinal);
    }
}
