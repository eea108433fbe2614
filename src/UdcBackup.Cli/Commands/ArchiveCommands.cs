using System.CommandLine;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc archive init|backup|snapshots|ls|restore|verify|repair|forget|key</c>: direct access to an archive
/// repository folder, without the controller. The password comes from <c>UDC_ARCHIVE_PASSWORD</c>
/// or <c>--password-file</c>. Exit codes: 0 success, 1 the operation failed (locked, damaged data,
/// I/O error), 2 bad input, nothing changed (usage, unknown snapshot, no or a wrong password, a
/// folder that does not exist or is not a repository), 3 a backup completed but some source files
/// could not be read.
/// </summary>
internal static class ArchiveCommands
{
    public static Command Create()
    {
        var options = new ArchiveOptions();
        var group = new Command("archive", "Deduplicated, compressed, encrypted archive repositories: back up, list, restore, verify, repair, forget.");
        options.AddTo(group);
        group.Subcommands.Add(ArchiveInitCommand.Create(options));
        group.Subcommands.Add(ArchiveBackupCommand.Create(options));
        group.Subcommands.Add(ArchiveSnapshotsCommand.Create(options));
        group.Subcommands.Add(ArchiveLsCommand.Create(options));
        group.Subcommands.Add(ArchiveRestoreCommand.Create(options));
        group.Subcommands.Add(ArchiveVerifyCommand.Create(options));
        group.Subcommands.Add(ArchiveRepairCommand.Create(options));
        group.Subcommands.Add(ArchiveForgetCommand.Create(options));
        group.Subcommands.Add(ArchiveKeyCommand.Create(options));
        return group;
    }
}
