using System.CommandLine;
using UdcBackup.Archive.Repair;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc archive repair index</c>: rebuilds the index from the packs' own headers (exclusive lock),
/// after an index file was damaged. Exit 1 when a pack's header cannot be read (named on stderr).
/// </summary>
internal static class ArchiveRepairCommand
{
    public static Command Create(ArchiveOptions options)
    {
        var group = new Command("repair", "Repair a damaged repository.");
        var index = new Command("index", "Rebuild the index from every pack's own header, replacing all index files (damaged ones too).");
        index.SetAction(ArchiveAction.Create(options, async c =>
        {
            using var repository = c.Open();
            var repair = new IndexRepair(repository);
            var result = await ArchiveProgress.RunCountingAsync(c, "repair index", "packs", () => (repair.PacksDone, repair.PacksTotal), () => Task.Run(() => repair.Run(c.CancellationToken), c.CancellationToken));
            if (c.Json)
            {
                await c.WriteJsonAsync(new
                {
                    clean = result.IsClean,
                    indexFile = result.IndexFile.ToString(),
                    result.Packs,
                    result.Blobs,
                    result.RemovedIndexFiles,
                    damagedPacks = result.DamagedPacks.Select(d => new { pack = d.Pack.ToString(), d.Reason, d.KeptFromIndex }),
                });
            }
            else
            {
                await c.Output.WriteLineAsync($"indexed {result.Packs} packs ({result.Blobs} chunks) from their headers in index file {result.IndexFile}; removed {result.RemovedIndexFiles.Count} old index files");
                foreach (var damaged in result.DamagedPacks)
                {
                    var kept = damaged.KeptFromIndex ? " (the new index keeps what a readable index file said of it)" : "";
                    await c.Error.WriteLineAsync($"error: {damaged.Reason}{kept}");
                }

                await c.Output.WriteLineAsync(result.IsClean ? "every pack is indexed" : $"{result.DamagedPacks.Count} pack(s) could not be read from their headers");
            }

            return result.IsClean ? CliApp.Success : CliApp.Failure;
        }));
        group.Subcommands.Add(index);
        return group;
    }
}
