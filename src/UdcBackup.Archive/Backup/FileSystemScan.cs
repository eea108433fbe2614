namespace UdcBackup.Archive.Backup;

/// <summary>
/// A stat walk of a local backup's source paths, started by <see cref="FileSystemBackup.StartScan"/>
/// before the repository is opened and consumed by <see cref="FileSystemBackup.RunAsync(FileSystemScan, CancellationToken)"/>.
/// It only reads metadata; if it is never consumed it finishes on its own and is dropped.
/// </summary>
public sealed class FileSystemScan
{
    internal FileSystemScan(List<string> roots, List<string> warnings, Task<(List<FileSystemBackup.Item> Items, TimeSpan Elapsed)> items)
    {
        Roots = roots;
        Warnings = warnings;
        Items = items;
    }

    internal List<string> Roots { get; }

    /// <summary>Entries that could not be read; filled by the walk, read only after it finished.</summary>
    internal List<string> Warnings { get; }

    internal Task<(List<FileSystemBackup.Item> Items, TimeSpan Elapsed)> Items { get; }

    /// <summary>
    /// Completes when every entry has been stat'ed: from then on the backup run over this walk stores
    /// what the walk saw, and a file removed since is skipped with a warning when its turn comes.
    /// </summary>
#pragma warning disable VSTHRD003 // the walk runs on the thread pool (Task.Run): no context to deadlock on
    public Task Completion => Items;
#pragma warning restore VSTHRD003
}
