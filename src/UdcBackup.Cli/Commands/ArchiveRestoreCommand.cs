using System.CommandLine;
using UdcBackup.Archive;
using UdcBackup.Archive.Restore;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Cli.Client;
using UdcBackup.Cli.Output;

namespace UdcBackup.Cli.Commands;

/// <summary><c>udc archive restore ID --target DIR</c>: restores a snapshot or the paths matching --include.</summary>
internal static class ArchiveRestoreCommand
{
    public static Command Create(ArchiveOptions options)
    {
        var id = new Argument<string>("ID") { Description = "Snapshot id, unique prefix, or 'latest'." };
        var target = new Option<string>("--target", "-t") { Description = "Folder to restore under ('/' restores to the original places).", Required = true, HelpName = "DIR" };
        var include = new Option<string[]>("--include", "-i") { Description = "Only paths matching this pattern (*, **, ?; a folder includes its content); repeatable.", HelpName = "PATTERN" };
        var overwrite = new Option<string>("--overwrite")
        {
            Description = "Existing files: if-changed (skip files whose size, mode and mtime match; makes restores resumable), always, never.",
            DefaultValueFactory = _ => "if-changed",
            HelpName = "POLICY",
        };
        var command = new Command("restore", "Restore a snapshot, whole or in part.") { id, target, include, overwrite };
        command.SetAction(ArchiveAction.Create(options, async c =>
        {
            var policy = c.Parse.GetValue(overwrite) switch
            {
                "if-changed" => OverwritePolicy.IfChanged,
                "always" => OverwritePolicy.Always,
                "never" => OverwritePolicy.Never,
                var other => throw new CliUsageException($"--overwrite must be if-changed, always or never (got '{other}')."),
            };
            using var repository = c.Open();
            var skipped = new List<DamagedSnapshot>();
            var snapshot = repository.FindSnapshot(c.Parse.GetValue(id)!, skipped);
            await c.WarnDamagedAsync(skipped);
            var restorer = new Restorer(repository, new RestoreOptions { Target = c.Parse.GetValue(target)!, Includes = c.Parse.GetValue(include) ?? [], Overwrite = policy });
            var s = restorer.Statistics;
            try
            {
                var result = await ArchiveProgress.RunAsync(c, "restore", () => new(s.FilesDone, s.FilesTotal, s.BytesDone, s.BytesTotal), () => restorer.RunAsync(snapshot, c.CancellationToken));
                if (c.Json)
                {
                    await c.WriteJsonAsync(new { snapshot = snapshot.Id.ToString(), result.FilesRestored, result.FilesSkipped, result.FilesAlreadyCorrect, result.BytesAlreadyCorrect, result.Directories, result.BytesWritten, result.Warnings });
                }
                else
                {
                    var kept = result.FilesSkipped - result.FilesAlreadyCorrect;
                    await c.Output.WriteLineAsync(
                        $"restored {result.FilesRestored} files and {result.Directories} folders ({ArchiveFormat.Bytes(result.BytesWritten)} written) from {snapshot.ShortId}" +
                        Output.RestoreSummary.AlreadyCorrect(result.FilesAlreadyCorrect, result.BytesAlreadyCorrect) +
                        (kept > 0 ? $"; {kept} existing files kept (--overwrite never)" : string.Empty));
                }

                foreach (var warning in result.Warnings)
                {
                    await c.Error.WriteLineAsync($"warning: {warning}");
                }

                return CliApp.Success;
            }
            catch (ArchiveException e) when (e.AffectedPaths.Count > 0 && c.Json)
            {
                // The --json answer is the problem line every failure leaves, with which files on it.
                await c.Error.WriteLineAsync($"udc: {e.Message}");
                var which = new Dictionary<string, object?> { ["snapshot"] = snapshot.Id.ToString(), ["damagedFiles"] = e.AffectedPaths };
                await CliProblem.WriteAsync(c.Output, CliProblem.FailedType, "Files were not restored: their stored data is damaged.", e.Message, CliApp.Failure, extensions: which);
                return CliApp.Failure;
            }
        }));
        return command;
    }
}
