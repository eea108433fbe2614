using UdcBackup.Cli.Client;

namespace UdcBackup.Cli.Commands;

/// <summary>The <c>--tag KEY=VALUE</c> options of the archive commands: recorded by a backup, matched by <c>snapshots</c>.</summary>
internal static class ArchiveTags
{
    /// <summary>The tags as a map; one without '=' or with an empty key is refused (exit 2).</summary>
    public static Dictionary<string, string> Parse(IEnumerable<string>? tags)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags ?? [])
        {
            var split = tag.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                throw new CliUsageException($"tag '{tag}' is not KEY=VALUE.");
            }

            map[tag[..split]] = tag[(split + 1)..];
        }

        return map;
    }
}
