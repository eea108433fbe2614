using System.CommandLine;

namespace UdcBackup.Cli.Commands;

/// <summary><c>udc archive verify [--read-data]</c>: checks the repository's structure, and with --read-data every chunk.</summary>
internal static class ArchiveVerifyCommand
{
    public static Command Create(ArchiveOptions options)
    {
        var readData = new Option<bool>("--read-data") { Description = "Read every pack and check every chunk's authentication tag and hash." };
        var command = new Command("verify", "Check the repository for missing or damaged data.") { readData };
        command.SetAction(ArchiveAction.Create(options, async c =>
        {
            using var repository = c.Open();
            var verifier = new Archive.Verify.Verifier(repository);
                        var report = await ArchiveProgress.RunCountingAsync(c, "verify", "packs", () => (verifier.PacksDone, verifier.PacksTotal), () => Task.Run(() => verifier.Run(c.Parse.GetValue(readData), c.CancellationToken), c.CancellationToken));
            if (c.Json)
            {
                await c.WriteJsonAsync(new
                {
                    clean = report.IsClean,
                    report.Packs,
                    report.Blobs,
                    report.Snapshots,
                    report.IndexFiles,
                    report.DataRead,
                    report.BytesRead,
                    report.Errors,
                    report.Notes,
                    damaged = report.DamagedBlobs.Select(d => new { blob = d.Id.ToString(), pack = d.Pack.ToString(), d.Reason, files = d.AffectedFiles }),
                });
            }
            else
            {
                await c.Output.WriteLineAsync($"checked {report.Snapshots} snapshots, {report.IndexFiles} index files, {report.Packs} packs, {report.Blobs} chunks{(report.DataRead ? $", read {ArchiveFormat.Bytes(report.BytesRead)}" : "")}");
                foreach (var note in report.Notes)
                {
                    await c.Output.WriteLineAsync($"note: {note}");
                }

                foreach (var error in report.Errors)
                {
                    await c.Error.WriteLineAsync($"error: {error}");
                }

                foreach (var damaged in report.DamagedBlobs)
                {
                    await c.Error.WriteLineAsync($"damaged: {damaged.Reason}");
                    foreach (var file in damaged.AffectedFiles)
                    {
                        await c.Error.WriteLineAsync($"  affects {file.Replace("\n", "\\n", StringComparison.Ordinal)}");
                    }
                }

                await c.Output.WriteLineAsync(report.IsClean ? "no errors found" : $"{report.Errors.Count + report.DamagedBlobs.Count} problem(s) found");
            }

            return report.IsClean ? CliApp.Success : CliApp.Failure;
        }));
        return command;
    }
}
