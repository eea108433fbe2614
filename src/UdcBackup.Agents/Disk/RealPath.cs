namespace UdcBackup.Agents.Disk;

/// <summary>
/// Resolves every symbolic link in a path, component by component from the left (like
/// realpath(3)), so a script or any folder on its way that is a link cannot point the runner
/// outside the allowed folder. Gives up after 40 links (a loop).
/// </summary>
public static class RealPath
{
    private const int MaxLinks = 40;

    /// <summary>The path with every link resolved; the file need not exist for missing trailing parts.</summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        for (var links = 0; links <= MaxLinks; links++)
        {
            var parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var current = "/";
            string? restart = null;
            for (var i = 0; i < parts.Length; i++)
            {
                var next = Path.Join(current, parts[i]);
                var target = new FileInfo(next).LinkTarget;
                if (target is not null)
                {
                    var resolved = Path.GetFullPath(target, current);
                    restart = Path.Join(resolved, string.Join('/', parts[(i + 1)..]));
                    break;
                }

                current = next;
            }

            if (restart is null)
            {
                return current;
            }

            full = Path.GetFullPath(restart);
        }

        throw new IOException($"Too many symbolic links while resolving {path}");
    }

    /// <summary>True when <paramref name="path"/> lies inside <paramref name="folder"/> (both already resolved).</summary>
    public static bool IsInside(string path, string folder)
    {
        var prefix = folder.EndsWith('/') ? folder : folder + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }
}
