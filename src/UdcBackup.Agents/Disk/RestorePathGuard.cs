using System.Runtime.CompilerServices;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// Checks every entry of a restore stream before it reaches the file system, so no entry can write
/// outside the restore target even if the stream is hostile: paths must be relative, use '/' and
/// contain no empty, "." or ".." segment and no NUL; no entry may lie below an earlier symbolic
/// link (which could point anywhere); a hard link's target must obey the same rules. With a scope
/// (the literal include paths of a restore to the original places), every entry and hard link
/// target must also be one of those paths or lie below one, so a media agent cannot make the disk
/// agent write beside them. The first offending entry stops the restore with
/// <see cref="InvalidDataException"/> naming it.
/// </summary>
public static class RestorePathGuard
{
    /// <summary>Passes entries through, refusing the first unsafe one.</summary>
    public static IAsyncEnumerable<StreamedEntry> CheckAsync(IAsyncEnumerable<StreamedEntry> entries, CancellationToken cancellationToken = default) =>
        CheckAsync(entries, null, cancellationToken);

    /// <summary>Passes entries through, refusing the first unsafe one or, with a <paramref name="scope"/>, the first outside it.</summary>
    public static async IAsyncEnumerable<StreamedEntry> CheckAsync(IAsyncEnumerable<StreamedEntry> entries, IReadOnlyList<string>? scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var symlinks = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            var path = entry.Header.Path;
            Require(IsSafeRelative(path), path, "is not a plain relative path");
            Require(!Ancestors(path).Any(symlinks.Contains), path, "lies below a symbolic link restored earlier");
            Require(scope is null || InScope(path, scope), path, "is outside the requested include paths");
            if (entry.Header.Type == EntryType.Hardlink)
            {
                Require(entry.Header.LinkTarget is { } target && IsSafeRelative(target) && !Ancestors(target).Append(target).Any(symlinks.Contains) && (scope is null || InScope(target, scope)), path, "is a hard link to an unsafe path");
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

    /// <summary>
    /// The relative path an include stands for when it is a literal path (leading and trailing '/'
    /// dropped, as the include matcher does); null for a pattern with '*' or '?', surrounding
    /// spaces, or an unsafe path.
    /// </summary>
    public static string? LiteralInclude(string include)
    {
        if (string.IsNullOrEmpty(include) || include != include.Trim() || include.AsSpan().IndexOfAny('*', '?') >= 0)
        {
            return null;
        }

        var relative = include.TrimStart('/').TrimEnd('/');
        return IsSafeRelative(relative) ? relative : null;
    }

    /// <summary>The includes as a scope for <see cref="CheckAsync(IAsyncEnumerable{StreamedEntry}, IReadOnlyList{string}?, CancellationToken)"/>; null when there are none or any is a pattern.</summary>
    public static IReadOnlyList<string>? LiteralScope(IReadOnlyList<string> includes)
    {
        ArgumentNullException.ThrowIfNull(includes);
        var literal = new List<string>(includes.Count);
        foreach (var include in includes)
        {
            if (LiteralInclude(include) is not { } relative)
            {
                return null;
            }

            literal.Add(relative);
        }

        return literal.Count == 0 ? null : literal;
    }

    private static bool InScope(string path, IReadOnlyList<string> scope) =>
        scope.Any(root => path == root || path.StartsWith(root + "/", StringComparison.Ordinal));

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
