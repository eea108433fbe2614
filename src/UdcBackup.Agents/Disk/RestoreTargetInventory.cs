using System.Security.Cryptography;
using UdcBackup.Agents.Media;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// What a restore target already holds, offered to the media agent so a retried restore does not
/// receive those files again: every regular file below the target (below each include when the
/// restore goes to the original places, target '/') with its size and the SHA-256 of its content.
/// Temporary files an interrupted restore left (<c>.udc-restore-*.partial</c>) are removed on the
/// way: they are this agent's own and never complete. Unreadable files are not offered (they are
/// then received and replaced). Empty files are not offered: there is nothing to save.
/// </summary>
internal static class RestoreTargetInventory
{
    public static async Task<List<RestoreHeldFile>> ReadAsync(string target, IReadOnlyList<string> includes, CancellationToken ct)
    {
        var root = Path.GetFullPath(target);
        var held = new List<RestoreHeldFile>();
        var starts = root == "/" && includes.Count > 0 ? includes.Select(i => Path.Join(root, i.TrimStart('/'))).ToList() : [root];
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var start in starts.Distinct(StringComparer.Ordinal))
        {
            var files = File.Exists(start) ? [start] : Directory.Exists(start) ? Directory.EnumerateFiles(start, "*", options) : [];
            foreach (var file in files)
            {
                ct.ThrowIfCancellationRequested();
                var name = Path.GetFileName(file);
                if (name.StartsWith(".udc-restore-", StringComparison.Ordinal) && name.EndsWith(".partial", StringComparison.Ordinal))
                {
                    File.Delete(file);
                    continue;
                }

                if (await HashAsync(file, ct) is { } offer)
                {
                    held.Add(offer with { Path = Path.GetRelativePath(root, file).Replace('\\', '/') });
                }
            }
        }

        return held;
    }

    private static async Task<RestoreHeldFile?> HashAsync(string file, CancellationToken ct)
    {
        try
        {
            if ((File.GetAttributes(file) & FileAttributes.ReparsePoint) != 0)
            {
                return null; // a symlink is restored as a link, never offered as content
            }

            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            if (stream.Length == 0)
            {
                return null;
            }

            var hash = await SHA256.HashDataAsync(stream, ct);
            return new RestoreHeldFile(file, stream.Length, Convert.ToHexStringLower(hash));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
