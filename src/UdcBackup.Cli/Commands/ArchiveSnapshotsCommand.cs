using System.CommandLine;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Cli.Output;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc archive snapshots</c>: lists snapshots, oldest first. A manifest that cannot be read is
/// left out with a warning on stderr (exit 0; <c>--json</c> stays the plain list on stdout), as
/// <c>udc archive verify</c> reports it as an error.
/// </summary>
internal static class ArchiveSnapshotsCommand
{
    public static Command Create(ArchiveOptions options)
    {
        var tag = new Option<string[]>("--tag") { Description = "Only snapshots with this KEY=VALUE tag; repeatable (all must match).", HelpName = "KEY=VALUE" };
        var command = new Command("snapshots", "List the snapshots of a repository.") { tag };
        command.SetAction(ArchiveAction.Create(options, async c =>
        {
            // A filter that is not KEY=VALUE ('system', 'system:db-01') matched no snapshot and
            // listed none, as if there were no backups: refused like a backup's tag.
            var filters = ArchiveTags.Parse(c.Parse.GetValue(tag));
            using var repository = c.Open();
            var damaged = new List<DamagedSnapshot>();
            var snapshots = repository.ListSnapshots(damaged)
                .Where(s => filters.All(f => s.Tags.TryGetValue(f.Key, out var v) && v == f.Value))
                .ToList();
            await c.WarnDamagedAsync(damaged);
            if (c.Json)
            {
                await c.WriteJsonAsync(snapshots.Select(s => new { id = s.Id.ToString(), s.Time, s.Host, s.Paths, s.Tags, s.Kind, s.Parent, s.Summary }));
                return CliApp.Success;
            }

            var table = ConsoleView.Table("ID", "Time", "Host", "Kind", "Tags", "Files", "Size", "Paths");
            foreach (var s in snapshots)
            {
                table.AddTextRow(
                    s.ShortId,
                    ArchiveFormat.Time(s.Time),
                    s.Host,
                    s.Kind,
                    string.Join(',', s.Tags.Select(t => $"{t.Key}={t.Value}")),
                    s.Summary.Files.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ArchiveFormat.Bytes(s.Summary.Bytes),
                    string.Join(' ', s.Paths));
            }

            ConsoleView.For(c.Output).Write(table);
            await c.Output.WriteLineAsync($"{snapshots.Count} snapshot(s)");
            return CliApp.Success;
        }));
        return command;
    }
}
