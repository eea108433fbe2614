using System.Runtime.CompilerServices;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// Checks every entry of a restore stream before it reaches the file system, so no entry can write
/// outside the restore target even if the stream is hostile: paths must be relative, use '/' and
/// contain no empty, "." or ".." segment and no NUL; no entry may lie below an earlier symbolic
/// link (which could point anywhere); a hard link's target must obey the same rules. The first
/// offending entry stops the restore with <see cref="InvalidDataException"/> naming it.
/// </summary>
public static class RestorePathGuard
{
    /// <summary>Passes entries through, refusing the first unsafe one.</summary>
    public static async IAsyncEnumerable<StreamedEntry> CheckAsync(IAsyncEnumerable<StreamedEntry> entries, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var symlinks = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            var path = entry.Header.Path;
            Require(IsSafeRelative(path), path, "is not a plain relative path");
            Require(!Ancestors(path).Any(symlinks.Contains), path, "lies below a symbolic link restored earlier");
            if (entry.Header.Type == EntryType.Hardlink)
            {
                Require(entry.Header.LinkTarget is { } target && IsSafeRelative(target) && !Ancestors(target).Append(target).Any(symlinks.Contains), path, "is a hard link to an unsafe path");
            }

            if (entry.Header.Type == EntryType.Symlink)
            {
                symlinks.Add(path);
            }

            yield return entry;
        }
    }

    /// <summary>True for a relative '/'-separated path without empty, "." or ".." segments.</summary>
    public static bool IsSafeRelative(string path) =>
        !string.IsNullOrEmpty(path)
        && !path.StartsWith('/')
        && !path.Contains('\0', StringComparison.Ordinal)
        && !path.Contains('\\', StringComparison.Ordinal)
        && path.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var i = path.IndexOf('/', StringComparison.Ordinal); i > 0; i = path.IndexOf('/', i + 1))
        {
            yield return path[..i];
        }
    }

    private static void Require(bool condition, string path, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"Restore stopped: entry '{path}' {problem}");
        }
    }
}
