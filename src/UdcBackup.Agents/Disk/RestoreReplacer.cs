using System.Runtime.CompilerServices;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// Restores in replace mode (a data set with <c>restore: replace</c>): the restore first writes
/// every entry of the snapshot as a merge would, while <see cref="RecordAsync"/> notes the
/// absolute path of each entry that went by; only when the whole stream was written does
/// <see cref="Prune"/> remove, below each replace root, every file, link and folder whose path the
/// snapshot did not hold (a database's old WAL segments, a stale lock file).
/// <para>
/// Safety: a failed or cut stream never reaches <see cref="Prune"/> (the caller prunes after the
/// writer returned); a root the snapshot holds nothing of is left alone (removing would empty it);
/// the walk stays below the root: links are removed as links and never followed, and the root
/// itself is never removed. A removal that fails raises its <see cref="IOException"/>, so the
/// restore fails and is retried rather than reported as an exact copy.
/// </para>
/// </summary>
public static class RestoreReplacer
{
    /// <summary>Passes <paramref name="entries"/> through, adding each entry's absolute path under <paramref name="target"/> to <paramref name="seen"/>.</summary>
    public static async IAsyncEnumerable<StreamedEntry> RecordAsync(
        IAsyncEnumerable<StreamedEntry> entries, string target, ISet<string> seen, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(seen);
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            seen.Add(Absolute(target, entry.Header.Path));
            yield return entry;
        }
    }

    /// <summary>The absolute, normalised path an archive path is written to under <paramref name="target"/>.</summary>
    public static string Absolute(string target, string archivePath) =>
        Trim(Path.GetFullPath(Path.Join(target, archivePath.TrimStart('/'))));

    /// <summary>
    /// Removes what lies below <paramref name="root"/> (absolute) and is not in <paramref name="seen"/>;
    /// returns how many entries were removed (a removed folder counts once), or null when the
    /// snapshot held nothing at or below the root and nothing was touched.
    /// </summary>
    public static int? Prune(string root, IReadOnlySet<string> seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        if (!Path.IsPathFullyQualified(root))
        {
            throw new ArgumentException($"replace root '{root}' is not absolute", nameof(root));
        }

        var top = Trim(Path.GetFullPath(root));
        if (top == "/" || !seen.Any(p => p == top || p.StartsWith(top + "/", StringComparison.Ordinal)) || !Directory.Exists(top))
        {
            return null;
        }

        return PruneBelow(top, seen);
    }

    private static int PruneBelow(string folder, IReadOnlySet<string> seen)
    {
        var removed = 0;
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false, IgnoreInaccessible = false }))
        {
            var path = Trim(entry.FullName);
            var isFolder = entry is DirectoryInfo && entry.LinkTarget is null;
            if (seen.Contains(path))
            {
                if (isFolder)
                {
                    removed += PruneBelow(path, seen);
                }

                continue;
            }

            if (isFolder)
            {
                // Recursive removal unlinks links inside the folder and never follows them.
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }

            removed++;
        }

        return removed;
    }

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
