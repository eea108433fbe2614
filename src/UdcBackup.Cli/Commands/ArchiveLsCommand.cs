using System.CommandLine;
using System.Globalization;
using UdcBackup.Archive.Restore;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Cli.Commands;

/// <summary><c>udc archive ls ID [PATTERN...]</c>: lists the entries of a snapshot.</summary>
internal static class ArchiveLsCommand
{
    public static Command Create(ArchiveOptions options)
    {
        var id = new Argument<string>("ID") { Description = "Snapshot id, unique prefix, or 'latest'." };
        var patterns = new Argument<string[]>("PATTERN") { Description = "Only entries matching these patterns (*, **, ?).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("ls", "List the files of a snapshot.") { id, patterns };
        command.SetAction(ArchiveAction.Create(options, async c =>
        {
            using var repository = c.Open();
            var skipped = new List<DamagedSnapshot>();
            var snapshot = repository.FindSnapshot(c.Parse.GetValue(id)!, skipped);
            await c.WarnDamagedAsync(skipped);
            var filters = (c.Parse.GetValue(patterns) ?? []).Select(p => new PathPattern(p)).ToList();
            var entries = SnapshotReader.ReadEntries(repository, snapshot).Where(e => PathPattern.AnyMatches(filters, e.Path)).ToList();
            foreach (var damaged in repository.Index.DamagedFiles)
            {
                await c.Error.WriteLineAsync($"warning: {damaged.Warning}");
            }

            if (c.Json)
            {
                await c.WriteJsonAsync(entries.Select(e => new
                {
                    path = e.Path,
                    type = e.Type.ToString().ToLowerInvariant(),
                    mode = Convert.ToString(e.Mode, 8),
                    uid = e.Uid,
                    gid = e.Gid,
                    size = e.Size,
                    mtimeNs = e.ModifiedNs,
                    linkTarget = e.LinkTarget,
                    sparse = e.Sparse,
                    xattrs = e.Xattrs.Keys,
                    chunks = e.Content.Count,
                }));
                return CliApp.Success;
            }

            foreach (var e in entries)
            {
                var time = DateTimeOffset.FromUnixTimeMilliseconds(e.ModifiedNs / 1_000_000);
                var name = e.Path.Replace("\n", "\\n", StringComparison.Ordinal);
                var link = e.LinkTarget is null ? "" : (e.Type == EntryType.Hardlink ? " => " : " -> ") + e.LinkTarget;
                await c.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{TypeChar(e.Type)}{Convert.ToString(e.Mode, 8).PadLeft(4, '0')} {e.Uid,6} {e.Gid,6} {e.Size,14} {ArchiveFormat.Time(time)} /{name}{link}"));
            }

            return CliApp.Success;
        }));
        return command;
    }

    private static char TypeChar(EntryType type) => type switch
    {
        EntryType.Directory => 'd',
        EntryType.Symlink => 'l',
        EntryType.Hardlink => 'h',
        EntryType.Fifo => 'p',
        EntryType.CharDevice => 'c',
        EntryType.BlockDevice => 'b',
        EntryType.Socket => 's',
        _ => '-',
    };
}
