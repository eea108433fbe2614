using UdcBackup.Archive.IO;
using UdcBackup.Archive.Native;
using UdcBackup.Archive.Restore;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// Writes a stream of entries (a restore sent by a media agent) into a target folder, on the disk
/// agent's host: each file goes to a temp name beside its destination, holes stay holes, metadata
/// is applied, then it is renamed into place. A content stream that fails verification removes
/// the temp file and stops the restore with an <see cref="ArchiveException"/> naming the file (the
/// framing after a broken file cannot be trusted). Hardlinks are linked after their first name
/// arrived; folder metadata is applied at the end, deepest first. A target whose file system fills
/// up fails with <see cref="ArchiveErrorCode.NoSpace"/> as <see cref="Restorer"/> does: the files
/// renamed into place are complete and stay, the one being written is removed, so the same restore
/// run again (which offers what the target holds) finishes the rest.
/// </summary>
public static class StreamRestore
{
    public static async Task<RestoreResult> WriteAsync(IAsyncEnumerable<StreamedEntry> entries, RestoreOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return await WriteEntriesAsync(entries, options, ct);
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            throw DiskFull.InRestoreTarget(
                Path.GetFullPath(options.Target),
                ex,
                "The files restored so far are complete and the unfinished one was removed; free space there and run the same restore again (the files already restored are not sent again).");
        }
    }

    private static async Task<RestoreResult> WriteEntriesAsync(IAsyncEnumerable<StreamedEntry> entries, RestoreOptions options, CancellationToken ct)
    {
        var target = Path.GetFullPath(options.Target);
        var restoreOwner = options.RestoreOwner ?? Environment.UserName == "root";
        var result = new RestoreResult();
        var directories = new List<ArchiveEntry>();
        Directory.CreateDirectory(target);
        await foreach (var entry in entries.WithCancellation(ct))
        {
            var header = entry.Header;
            var destination = Path.Join(target, header.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var temp = Path.Join(Path.GetDirectoryName(destination), $".udc-restore-{Guid.NewGuid():N}.partial");
            switch (header.Type)
            {
                case EntryType.Directory:
                    Directory.CreateDirectory(destination);
                    directories.Add(header);
                    result.Directories++;
                    continue;
                case EntryType.File when entry.Content is not null:
                    if (options.Overwrite == OverwritePolicy.Never && File.Exists(destination))
                    {
                        result.FilesSkipped++;
                        continue;
                    }

                    await WriteFileAsync(entry, temp, ct);
                    break;
                case EntryType.Symlink:
                    File.CreateSymbolicLink(temp, header.LinkTarget ?? "");
                    break;
                case EntryType.Hardlink:
                    LinuxFileSystem.Link(Path.Join(target, header.LinkTarget ?? ""), temp);
                    LinuxFileSystem.Rename(temp, destination);
                    result.FilesRestored++;
                    continue;
                case EntryType.Fifo or EntryType.CharDevice or EntryType.BlockDevice or EntryType.Socket:
                    if (!SpecialNodes.TryCreate(temp, header, result.Warnings))
                    {
                        continue;
                    }

                    break;
                default:
                    result.Warnings.Add($"'{header.Path}' ({header.Type}) is not restored");
                    continue;
            }

            MetadataWriter.Apply(temp, header, restoreOwner, result.Warnings);
            LinuxFileSystem.Rename(temp, destination);
            result.FilesRestored++;
            result.BytesWritten += header.Type == EntryType.File ? header.Size : 0;
        }

        foreach (var dir in directories.OrderByDescending(d => d.Path.Length))
        {
            MetadataWriter.Apply(Path.Join(target, dir.Path), dir, restoreOwner, result.Warnings);
        }

        return result;
    }

    private static async Task WriteFileAsync(StreamedEntry entry, string temp, CancellationToken ct)
    {
        var header = entry.Header;
        var extents = entry.Extents ?? [new Backup.DataExtent(0, header.Size)];
        var buffer = new byte[1 << 20];
        try
        {
            using var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write);
            RandomAccess.SetLength(handle, header.Size);
            foreach (var extent in extents)
            {
                long done = 0;
                while (done < extent.Length)
                {
                    var read = await entry.Content!.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, extent.Length - done)), ct);
                    if (read == 0)
                    {
                        throw new InvalidDataException($"content ended after {extent.Offset + done} of {header.Size} bytes");
                    }

                    await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, read), extent.Offset + done, ct);
                    done += read;
                }
            }

            if (await entry.Content!.ReadAsync(buffer, ct) != 0)
            {
                throw new InvalidDataException($"content is longer than the {header.Size} bytes announced");
            }
        }
        catch (InvalidDataException ex)
        {
            File.Delete(temp);
            throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"'{header.Path}' was not restored: {ex.Message}", ex) { AffectedPaths = [header.Path] };
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            // Only whole files get their real names: the unfinished one goes, and with it its blocks.
            File.Delete(temp);
            throw;
        }
    }
}
