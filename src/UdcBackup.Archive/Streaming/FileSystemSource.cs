using System.Runtime.CompilerServices;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Native;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// Local paths as a stream of entries, for a disk agent that sends its data to a media agent
/// (<c>EntryStreamWriter.WriteAllAsync(FileSystemSource.ReadAsync(paths, warnings), network)</c>).
/// Same walk and metadata as <see cref="FileSystemBackup"/>: symlinks not followed, further names
/// of a file sent as hardlinks, sparse files as extents; unreadable entries are skipped and named
/// in the warnings list. Each file's content is read up to what its stat announced and comes with
/// <see cref="StreamedEntry.ChangedWhileRead"/> (<see cref="CheckedFileContent"/>): the writer asks
/// it after the content, and a file that changed while read is named in the warnings; its header
/// keeps the stat from before the read, so a receiver that marks it makes the next backup re-read it.
/// </summary>
public static class FileSystemSource
{
    public static async IAsyncEnumerable<StreamedEntry> ReadAsync(IReadOnlyList<string> paths, List<string> warnings, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        var items = FileSystemBackup.Scan(FileSystemBackup.Roots(paths), warnings);
        var hardlinkTargets = FileSystemBackup.HardlinkTargets(items);

        // The kernel reads the files ahead of the sender, in the order they are sent: on a cold page
        // cache each small file would otherwise cost the stream one disk read's wait.
        using var readAhead = new ReadAhead(items, Enumerable.Range(0, items.Count).Where(i => items[i].Status.IsRegular && hardlinkTargets[i] is null).ToArray());
        for (var i = 0; i < items.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var item = items[i];
            var status = item.Status;
            var header = FileSystemBackup.Header(item.RelativePath, status);
            if (hardlinkTargets[i] is { } first)
            {
                yield return new StreamedEntry(header with { Type = EntryType.Hardlink, LinkTarget = first }, null, null);
                continue;
            }

            if (status.IsRegular)
            {
                readAhead.Taken(status.Size);
            }

            Microsoft.Win32.SafeHandles.SafeFileHandle? handle = null;
            try
            {
                header = header with { Xattrs = LinuxFileSystem.ReadXattrs(item.FullPath) };
                if (status.IsSymlink)
                {
                    header = header with { LinkTarget = new FileInfo(item.FullPath).LinkTarget ?? "" };
                }

                if (status.IsRegular)
                {
                    handle = LinuxFileSystem.OpenForReading(item.FullPath);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"skipped '{item.FullPath}': {ex.Message}");
                continue;
            }

            if (handle is null)
            {
                yield return new StreamedEntry(header, null, null);
                continue;
            }

            using (handle)
            {
                var extents = status.MayBeSparse ? FileSystemBackup.SparseExtents(handle, status.Size) : null;
                if (extents is { Count: 0 } && status.Size > 0)
                {
                    // All hole: the wire's extent count 0 means "not sparse", and a zero-length
                    // extent is not something every receiver takes; the last byte (a hole's zero)
                    // keeps the file sparse and its size known to any receiver.
                    extents = [new DataExtent(status.Size - 1, 1)];
                }

                await using var content = new CheckedFileContent(handle, item.FullPath, status, extents, warnings);
                yield return new StreamedEntry(header, extents, content) { ChangedWhileRead = content.ChangedWhileReadAsync };
            }
        }
    }
}
