using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.IO;
using UdcBackup.Archive.Native;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Restore;

/// <summary>
/// Restores a snapshot (or the entries matching include patterns) under a target folder.
/// Folders are created first; files are written in parallel (workers take batches of siblings, so
/// they create in different folders: see <see cref="SiblingBatches"/>), each into a temp file next to its
/// destination (holes left unwritten), every chunk authenticated and hash-checked, then metadata
/// applied and the temp renamed over the destination, so a destination is never half written.
/// A file with a damaged chunk is not written at all (its temp is removed) and is named in the
/// <see cref="ArchiveException"/> thrown at the end, after everything else was restored.
/// Hardlinks are linked after their files; folder metadata is applied last, deepest first.
/// FIFOs and device nodes are recreated (devices only where <c>mknod</c> is permitted, normally
/// root; otherwise a warning names the entry); sockets are recorded but not recreated, with a note.
/// </summary>
public sealed class Restorer(ArchiveRepository repository, RestoreOptions options)
{
    /// <summary>Files of one folder restored by one worker in a row: small files batch, a large one stands alone.</summary>
    private const int FileBatchEntries = 128;
    private const long FileBatchBytes = 16 << 20;

    private readonly System.Collections.Concurrent.ConcurrentBag<BlobReader> _readers = [];

    public RestoreStatistics Statistics { get; } = new();

    /// <summary>
    /// Restores <paramref name="snapshot"/>. A target whose file system fills up fails with
    /// <see cref="ArchiveErrorCode.NoSpace"/>: files written so far are complete, those being written
    /// are removed (they only ever had their temp names), so the same restore run again finishes the rest.
    /// </summary>
    public async Task<RestoreResult> RunAsync(Snapshot snapshot, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        try
        {
            return await RestoreAsync(snapshot, ct);
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            var again = options.Overwrite == OverwritePolicy.IfChanged ? " (the files already restored are skipped)" : "";
            throw DiskFull.InRestoreTarget(
                Path.GetFullPath(options.Target),
                ex,
                $"The files restored so far are complete and the unfinished ones were removed; free space there and run the same restore again{again}.");
        }
    }

    private async Task<RestoreResult> RestoreAsync(Snapshot snapshot, CancellationToken ct)
    {
        var target = Path.GetFullPath(options.Target);
        var patterns = options.Includes.Select(p => new PathPattern(p)).ToList();
        var restoreOwner = options.RestoreOwner ?? Environment.UserName == "root";
        var all = repository.Timings.Measure("restore.tree", () => SnapshotReader.ReadEntries(repository, snapshot));
        var byPath = all.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var selected = all.Where(e => PathPattern.AnyMatches(patterns, e.Path)).ToList();
        var result = new RestoreResult();
        result.Warnings.AddRange(repository.Index.DamagedFiles.Select(d => d.Warning));

        // A hardlink whose first name is not selected becomes a regular file with that content.
        for (var i = 0; i < selected.Count; i++)
        {
            var entry = selected[i];
            if (entry.Type == EntryType.Hardlink && !PathPattern.AnyMatches(patterns, entry.LinkTarget ?? "") && byPath.TryGetValue(entry.LinkTarget ?? "", out var first))
            {
                selected[i] = first with { Path = entry.Path };
            }
        }

        var started = repository.Timings.Start();
        var files = selected.Where(e => e.Type == EntryType.File).ToList();
        using var stopPrefetch = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var prefetch = Task.Run(() => repository.Prefetch(PacksInOrder(files), stopPrefetch.Token), CancellationToken.None);
        var folders = selected.Where(e => e.Type == EntryType.Directory).ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Workers), CancellationToken = ct };

        // Folders level by level (a parent exists before its children), each level in parallel:
        // mkdir is a costly system call and 20,000 folders in a row leave a core idle. A folder this
        // restore made holds nothing but what the restore puts there, so its files need no check
        // for an existing destination (one lstat per file fewer).
        var freshFolders = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        if (OpenFileCalls.CreateFolder(target))
        {
            freshFolders[target] = true;
        }

        // Siblings go to one worker (SiblingBatches): parallel mkdirs in one parent queue on its lock.
        foreach (var level in folders.GroupBy(Depth).OrderBy(g => g.Key))
        {
            ForEachUnwrapped(SiblingBatches.Of(level, int.MaxValue, long.MaxValue), parallel, siblings =>
            {
                foreach (var dir in siblings)
                {
                    var path = Destination(target, dir.Path);
                    if (OpenFileCalls.CreateFolder(path))
                    {
                        freshFolders[path] = true;
                    }
                }
            });
        }

        result.Directories += folders.Count;
        var createdFolders = folders.Select(f => Destination(target, f.Path)).Append(target).ToHashSet(StringComparer.Ordinal);
        started = repository.Timings.Add("restore.folders", started);
        Statistics.FilesTotal = files.Count;
        Statistics.BytesTotal = files.Sum(f => f.Size);
        try
        {
            await Parallel.ForEachAsync(
                SiblingBatches.Of(files, FileBatchEntries, FileBatchBytes), // walk order: the order chunks were packed in, so pack reads stay mostly sequential
                parallel,
                (siblings, token) =>
                {
                    foreach (var file in siblings)
                    {
                        RestoreFile(target, file, restoreOwner, result, createdFolders, freshFolders, token);
                    }

                    return ValueTask.CompletedTask;
                });
        }
        finally
        {
            await stopPrefetch.CancelAsync();
            await prefetch;
        }

        started = repository.Timings.Add("restore.files", started);
        foreach (var entry in selected.Where(e => e.Type is not (EntryType.File or EntryType.Directory)))
        {
            ct.ThrowIfCancellationRequested();
            RestoreSpecial(target, entry, restoreOwner, result);
        }

        // Folder metadata last, deepest level first (a parent made unreadable must not block its
        // children); within a level the order does not matter, so it runs in parallel.
        foreach (var level in folders.GroupBy(Depth).OrderByDescending(g => g.Key))
        {
            ForEachUnwrapped(level, parallel, dir => MetadataWriter.Apply(Destination(target, dir.Path), dir, restoreOwner, result.Warnings));
        }

        repository.Timings.Add("restore.links-and-folder-metadata", started);
        if (result.DamagedFiles.Count > 0)
        {
            throw new ArchiveException(
                ArchiveErrorCode.DamagedRepository,
                $"{result.DamagedFiles.Count} file(s) were not restored because their stored data is damaged:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", result.DamagedFiles))
            {
                AffectedPaths = [.. result.DamagedFiles],
            };
        }

        return result;
    }

    private void RestoreFile(
        string target,
        ArchiveEntry file,
        bool restoreOwner,
        RestoreResult result,
        HashSet<string> createdFolders,
        System.Collections.Concurrent.ConcurrentDictionary<string, bool> freshFolders,
        CancellationToken ct)
    {
        var destination = Destination(target, file.Path);
        var parent = Path.GetDirectoryName(destination)!;
        var existing = freshFolders.ContainsKey(parent) ? ExistingFile.Write : Existing(destination, file);
        if (existing != ExistingFile.Write)
        {
            lock (result)
            {
                result.FilesSkipped++;
                if (existing == ExistingFile.AlreadyCorrect)
                {
                    result.FilesAlreadyCorrect++;
                    result.BytesAlreadyCorrect += file.Size;
                }
            }

            Statistics.Done(file.Size);
            return;
        }

        if (!createdFolders.Contains(parent))
        {
            Directory.CreateDirectory(parent); // a selected file whose folder was not selected
        }

        var temp = TempName(destination);
        var reader = _readers.TryTake(out var free) ? free : new BlobReader(repository);
        try
        {
            var timings = repository.Timings;
            var started = timings.Start();
            using (var handle = LinuxFileSystem.CreateForWriting(temp, 0x180 /* 0600 until its metadata is applied */))
            {
                if (file.Sparse || ContentLength(file) != file.Size)
                {
                    RandomAccess.SetLength(handle, file.Size); // holes at the end; contiguous content extends the file itself
                }

                started = timings.Add("restore.create", started);
                foreach (var chunk in file.Content)
                {
                    ct.ThrowIfCancellationRequested();
                    var data = ReadChunk(reader, chunk);
                    started = timings.Start();
                    OpenFileCalls.Write(handle, data, chunk.Offset, temp);
                    started = timings.Add("restore.write", started);
                }

                MetadataWriter.Apply(handle, temp, file, restoreOwner, result.Warnings);
                started = timings.Add("restore.metadata", started);
            }

            started = timings.Add("restore.close", started);
            LinuxFileSystem.Rename(temp, destination);
            timings.Add("restore.rename", started);
            lock (result)
            {
                result.FilesRestored++;
                result.BytesWritten += file.Size;
            }
        }
        catch (InvalidDataException ex)
        {
            File.Delete(temp);
            lock (result)
            {
                result.DamagedFiles.Add($"{file.Path}: {ex.Message}");
            }
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        finally
        {
            _readers.Add(reader);
        }

        Statistics.Done(file.Size);
    }

    private static long ContentLength(ArchiveEntry file)
    {
        long length = 0;
        foreach (var chunk in file.Content)
        {
            length += chunk.Length;
        }

        return length;
    }

    private ReadOnlySpan<byte> ReadChunk(BlobReader reader, ChunkRef chunk)
    {
        if (!repository.Index.TryGet(chunk.Id, out var location))
        {
            var damaged = repository.Index.DamagedFiles;
            throw new InvalidDataException(damaged.Count == 0
                ? $"chunk {chunk.Id.ShortHex} is missing from the repository"
                : $"chunk {chunk.Id.ShortHex} is in no readable index file and no pack whose header can be read (index file {string.Join(", ", damaged.Select(d => d.File))} cannot be read)");
        }

        var data = reader.Read(location);
        return data.Length == chunk.Length ? data : throw new InvalidDataException($"chunk {chunk.Id.ShortHex} has {data.Length} bytes, expected {chunk.Length}");
    }

    private void RestoreSpecial(string target, ArchiveEntry entry, bool restoreOwner, RestoreResult result)
    {
        var destination = Destination(target, entry.Path);
        if (Path.Exists(destination) || File.Exists(destination) || new FileInfo(destination).LinkTarget is not null)
        {
            if (entry.Type == EntryType.Hardlink && SameFile(destination, Destination(target, entry.LinkTarget ?? "")))
            {
                result.FilesSkipped++;
                result.FilesAlreadyCorrect++;
                return;
            }

            if (options.Overwrite == OverwritePolicy.Never)
            {
                result.FilesSkipped++;
                return;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temp = TempName(destination);
        File.Delete(temp);
        switch (entry.Type)
        {
            case EntryType.Symlink:
                File.CreateSymbolicLink(temp, entry.LinkTarget ?? "");
                break;
            case EntryType.Hardlink:
                LinuxFileSystem.Link(Destination(target, entry.LinkTarget ?? ""), temp);
                LinuxFileSystem.Rename(temp, destination);
                result.FilesRestored++;
                return;
            default:
                if (!SpecialNodes.TryCreate(temp, entry, result.Warnings))
                {
                    return;
                }

                break;
        }

        MetadataWriter.Apply(temp, entry, restoreOwner, result.Warnings);
        LinuxFileSystem.Rename(temp, destination);
        result.FilesRestored++;
    }

    private ExistingFile Existing(string destination, ArchiveEntry file)
    {
        if (options.Overwrite == OverwritePolicy.Always || !File.Exists(destination))
        {
            return ExistingFile.Write;
        }

        if (options.Overwrite == OverwritePolicy.Never)
        {
            return ExistingFile.Kept;
        }

        var status = LinuxFileSystem.Stat(destination);
        return status.IsRegular && status.Size == file.Size && status.ModifiedNs == file.ModifiedNs && (status.Mode & 0xFFF) == file.Mode
            ? ExistingFile.AlreadyCorrect
            : ExistingFile.Write;
    }

    /// <summary>What to do with a file's destination.</summary>
    private enum ExistingFile
    {
        /// <summary>Missing or different: written.</summary>
        Write,

        /// <summary>There and left alone because the policy says never.</summary>
        Kept,

        /// <summary>There with the snapshot's size, mode and mtime: left alone.</summary>
        AlreadyCorrect,
    }

    private static bool SameFile(string a, string b)
    {
        try
        {
            var sa = LinuxFileSystem.Stat(a);
            var sb = LinuxFileSystem.Stat(b);
            return sa.Inode == sb.Inode && sa.Device == sb.Device;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Destination(string target, string path) => Path.Join(target, path);

    /// <summary><see cref="Parallel.ForEach{T}(IEnumerable{T}, ParallelOptions, Action{T})"/> that throws the first failure itself, as the sequential loop did.</summary>
    private static void ForEachUnwrapped<T>(IEnumerable<T> items, ParallelOptions parallel, Action<T> action)
    {
        try
        {
            Parallel.ForEach(items, parallel, action);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }

    private static int Depth(ArchiveEntry entry) => entry.Path.AsSpan().Count('/');

    /// <summary>The packs the files' chunks live in, each once, in the order the files need them.</summary>
    private IEnumerable<BlobId> PacksInOrder(List<ArchiveEntry> files)
    {
        var seen = new HashSet<BlobId>();
        foreach (var file in files)
        {
            foreach (var chunk in file.Content)
            {
                if (repository.Index.TryGet(chunk.Id, out var location) && seen.Add(location.Pack))
                {
                    yield return location.Pack;
                }
            }
        }
    }

    /// <summary>A short, deterministic temp name beside the destination: an interrupted restore's leftover is reused.</summary>
    private static string TempName(string destination)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFileName(destination))))[..16];
        return Path.Join(Path.GetDirectoryName(destination), $".udc-restore-{hash}.partial");
    }
}
