using System.CommandLine;
using UdcBackup.Archive.Backup;
using UdcBackup.Cli.Client;

namespace UdcBackup.Cli.Commands;

/// <summary><c>udc archive backup PATH...</c>: stores a new snapshot of local paths.</summary>
internal static class ArchiveBackupCommand
{
    public static Command Create(ArchiveOptions options)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders to back up.", Arity = ArgumentArity.OneOrMore };
        var tags = new Option<string[]>("--tag") { Description = "Catalog tag KEY=VALUE (system, job, tier ...); repeatable.", HelpName = "KEY=VALUE", AllowMultipleArgumentsPerToken = false };
        var parent = new Option<string?>("--parent") { Description = "Parent snapshot id whose unchanged files are not read again (default: newest with the same host and paths; 'none' for a full read).", HelpName = "ID" };
        var host = new Option<string?>("--host") { Description = "Host name recorded in the snapshot (default: this machine).", HelpName = "NAME" };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "Leave out paths matching PATTERN: with a '/' the whole path, else any file or folder name (*, **, ?); repeatable.", HelpName = "PATTERN" };
        var excludeFile = new Option<string[]>("--exclude-file") { Description = "Read exclude patterns from FILE, one per line ('#' comments); repeatable.", HelpName = "FILE" };
        var command = new Command("backup", "Back up files and folders into a new snapshot.") { paths, tags, parent, host, exclude, excludeFile };
        command.SetAction(ArchiveAction.Create(options, async c =>
        {
            var tagMap = ArchiveTags.Parse(c.Parse.GetValue(tags));
            var excludes = (c.Parse.GetValue(exclude) ?? []).ToList();
            foreach (var file in c.Parse.GetValue(excludeFile) ?? [])
            {
                excludes.AddRange(File.Exists(file) ? ExcludeFilter.ReadFile(file) : throw new CliUsageException($"exclude file '{file}' does not exist."));
            }

            RefuseTheRepositoryInItself(c.RepositoryPath, c.Parse.GetValue(paths)!, excludes);
            var backupOptions = new BackupOptions
            {
                Excludes = excludes,
                Paths = c.Parse.GetValue(paths)!,
                Tags = tagMap,
                Parent = c.Parse.GetValue(parent),
                Host = c.Parse.GetValue(host),
            };

            // The stat walk needs no key: it runs while the password's key derivation does.
            var scan = FileSystemBackup.StartScan(backupOptions);
            using var repository = c.Open();
            var backup = new FileSystemBackup(repository, backupOptions);
            var s = backup.Statistics;
            var snapshot = await ArchiveProgress.RunAsync(c, "backup", () => new(s.FilesDone, s.FilesTotal, s.BytesDone, s.BytesTotal), () => backup.RunAsync(scan, c.CancellationToken));
            var skipped = snapshot.Summary.Warnings.Count(w => w.StartsWith("skipped", StringComparison.Ordinal) || w.StartsWith("cannot list", StringComparison.Ordinal));
            if (c.Json)
            {
                await c.WriteJsonAsync(new { id = snapshot.Id.ToString(), snapshot.Time, snapshot.Kind, snapshot.Parent, snapshot.Summary });
            }
            else
            {
                var sum = snapshot.Summary;
                await c.Output.WriteLineAsync($"snapshot {snapshot.ShortId} saved ({snapshot.Kind}{(snapshot.Parent is null ? "" : $", parent {snapshot.Parent[..8]}")})");
                await c.Output.WriteLineAsync($"  {sum.Files} files, {sum.Directories} folders, {ArchiveFormat.Bytes(sum.Bytes)}; {sum.FilesRead} files read");
                await c.Output.WriteLineAsync($"  added {sum.NewBlobs} chunks, {ArchiveFormat.Bytes(sum.NewBytes)} new data, {ArchiveFormat.Bytes(sum.StoredBytes)} stored, in {sum.DurationSeconds:0.00} s");
            }

            foreach (var warning in snapshot.Summary.Warnings)
            {
                await c.Error.WriteLineAsync($"warning: {warning}");
            }

            return skipped > 0 ? ArchiveAction.PartialBackup : CliApp.Success;
        }));
        return command;
    }

    // A source holding the repository would store the repository in itself: every backup adds
    // the packs written so far as new data (they are encrypted, so nothing deduplicates), and the
    // repository grows with each run. Refused unless an exclude leaves the repository out.
    private static void RefuseTheRepositoryInItself(string repositoryPath, IEnumerable<string> sources, IEnumerable<string> excludes)
    {
        var repository = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repositoryPath));
        var filter = new ExcludeFilter(excludes);
        foreach (var given in sources)
        {
            var source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(given));
            if (IsSameOrBelow(source, repository))
            {
                throw new CliUsageException($"'{given}' is inside the repository {repository}; back up the data, not the repository.");
            }

            if (IsSameOrBelow(repository, source) && !filter.Excludes(repository))
            {
                throw new CliUsageException($"'{given}' holds the repository {repository}, which each backup would store in itself again; add --exclude {repository} or keep the repository outside the data.");
            }
        }
    }

    private static bool IsSameOrBelow(string path, string folder) =>
        folder == "/" || path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);
}
