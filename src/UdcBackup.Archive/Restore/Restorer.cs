using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.Native;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Restore;

/// <summary>
/// Restores a snapshot (or the entries matching include patterns) under a target folder.
/// Folders are created first; files are written in parallel, each into a temp file next to its
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
    private readonly System.Collections.Concurrent.ConcurrentBag<BlobReader> _readers = [];

    public RestoreStatistics Statistics { get; } = new();

    public async Task<RestoreResult> RunAsync(Snapshot snapshot, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var target = Path.GetFullPath(options.Target);
        var patterns = options.Includes.Select(p => new PathPattern(p)).ToList();
        var restoreOwner = options.RestoreOwner ?? Environment.UserName == "root";
        var all = repository.Timings.Measure("restore.tree", () => SnapshotReader.ReadEntries(repository, snapshot));
        var byPath = all.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var selected = all.Where(e => PathPattern.AnyMatches(patterns, e.Path)).ToList();
        var result = new RestoreResult();

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

        foreach (var level in folders.GroupBy(Depth).OrderBy(g => g.Key))
        {
            ForEachUnwrapped(level, parallel, dir =>
            {
                var path = Destination(target, dir.Path);
                if (OpenFileCalls.CreateFolder(path))
                {
                    freshFolders[path] = true;
                }
            });
        }

        result.Directories += folders.Count;
        var createdFolders = folders.Select(f => Destination(target, f.Path)).Append(target).ToHashSet(StringComparer.Ordinal);
        started = repository.Timings.Add("restore.folders", started);
        Statistics.FilesTotal = files.Count;
        Statistics.BytesTotal = files.Sum(f => f.Size);

        // Walk order: it is the order chunks were packed in, so pack reads stay mostly sequential.
        // Large files are cut into pieces that workers write at once (see FileWork).
        var pieces = files.SelectMany(f => FileWork.Pieces(f, Destination(target, f.Path))).ToList();
        try
        {
            await Parallel.ForEachAsync(
                pieces,
                parallel,
                (piece, token) =>
                {
                    RestorePiece(piece, restoreOwner, result, createdFolders, freshFolders, token);
                    return ValueTask.CompletedTask;
                });
        }
        catch
        {
            foreach (var (work, _, _) in pieces)
            {
                work.Abandon(); // pieces that never ran leave no open handle or temp behind
            }

            throw;
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

    private void RestorePiece(
        (FileWork File, int First, int Count) piece,
        bool restoreOwner,
        RestoreResult result,
        HashSet<string> createdFolders,
        System.Collections.Concurrent.ConcurrentDictionary<string, bool> freshFolders,
        CancellationToken ct)
    {
        var work = piece.File;
        var reader = _readers.TryTake(out var free) ? free : new BlobReader(repository);
        try
        {
            var handle = work.Open(w => OpenTemp(w, createdFolders, freshFolders));
            if (handle is not null)
            {
                var timings = repository.Timings;
                for (var i = piece.First; i < piece.First + piece.Count; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    var chunk = work.Entry.Content[i];
                    var data = ReadChunk(reader, chunk);
                    var started = timings.Start();
                    OpenFileCalls.Write(handle, data, chunk.Offset, work.Temp);
                    timings.Add("restore.write", started);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            work.MarkDamaged(ex.Message);
        }
        catch
        {
            work.MarkFailed();
            throw;
        }
        finally
        {
            _readers.Add(reader);
            if (work.PieceDone())
            {
                Finish(work, restoreOwner, result);
            }
        }
    }

    /// <summary>Opens the temp of a file that is to be written; null when the destination is kept.</summary>
    private SafeFileHandle? OpenTemp(FileWork work, HashSet<string> createdFolders, System.Collections.Concurrent.ConcurrentDictionary<string, bool> freshFolders)
    {
        var file = work.Entry;
        var parent = Path.GetDirectoryName(work.Destination)!;
        if (!freshFolders.ContainsKey(parent) && ShouldSkip(work.Destination, file))
        {
            return null;
        }

        if (!createdFolders.Contains(parent))
        {
            Directory.CreateDirectory(parent); // a selected file whose folder was not selected
        }

        var timings = repository.Timings;
        var started = timings.Start();
        work.Temp = TempName(work.Destination);
        var handle = LinuxFileSystem.CreateForWriting(work.Temp, 0x180 /* 0600 until its metadata is applied */);
        try
        {
            if (file.Sparse || FileWork.ContentLength(file) != file.Size)
            {
                RandomAccess.SetLength(handle, file.Size); // holes at the end; contiguous content extends the file itself
            }
        }
        catch
        {
            handle.Dispose();
            File.Delete(work.Temp);
            throw;
        }

        timings.Add("restore.create", started);
        return handle;
    }

    /// <summary>After the last piece: metadata, close and rename, or the temp removed (damaged or failed).</summary>
    private void Finish(FileWork work, bool restoreOwner, RestoreResult result)
    {
        var file = work.Entry;
        Statistics.Done(file.Size);
        if (work.Kept && !work.Failed)
        {
            lock (result)
            {
                result.FilesSkipped++;
            }

            return;
        }

        var handle = work.Handle;
        if (handle is null)
        {
            return; // the open itself failed and threw
        }

        try
        {
            if (work.Failed || work.Damage is not null)
            {
                handle.Dispose();
                File.Delete(work.Temp);
                if (work.Damage is not null && !work.Failed)
                {
                    lock (result)
                    {
                        result.DamagedFiles.Add($"{file.Path}: {work.Damage}");
                    }
                }

                return;
            }

            var timings = repository.Timings;
            var started = timings.Start();
            MetadataWriter.Apply(handle, work.Temp, file, restoreOwner, result.Warnings);
            started = timings.Add("restore.metadata", started);
            handle.Dispose();
            started = timings.Add("restore.close", started);
            LinuxFileSystem.Rename(work.Temp, work.Destination);
            timings.Add("restore.rename", started);
            lock (result)
            {
                result.FilesRestored++;
                result.BytesWritten += file.Size;
            }
        }
        catch
        {
            handle.Dispose();
            File.Delete(work.Temp);
            throw;
        }
    }

    private ReadOnlySpan<byte> ReadChunk(BlobReader reader, ChunkRef chunk)
    {
        if (!repository.Index.TryGet(chunk.Id, out var location))
        {
            throw new InvalidDataException($"chunk {chunk.Id.ShortHex} is missing from the repository");
        }

        var data = reader.Read(location);
        return data.Length == chunk.Length ? data : throw new InvalidDataException($"chunk {chunk.Id.ShortHex} has {data.Length} bytes, expected {chunk.Length}");
    }

    private void RestoreSpecial(string target, ArchiveEntry entry, bool restoreOwner, RestoreResult result)
    {
        var destination = Destination(target, entry.Path);
        if (Path.Exists(destination) || File.Exists(destination) || new FileInfo(destination).LinkTarget is not null)
        {
            if (options.Overwrite == OverwritePolicy.Never || (entry.Type == EntryType.Hardlink && SameFile(destination, Destination(target, entry.LinkTarget ?? ""))))
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

    private bool ShouldSkip(string destination, ArchiveEntry file)
    {
        if (options.Overwrite == OverwritePolicy.Always || !File.Exists(destination))
        {
            return false;
        }

        if (options.Overwrite == OverwritePolicy.Never)
        {
            return true;
        }

        var status = LinuxFileSystem.Stat(destination);
        return status.IsRegular && status.Size == file.Size && status.ModifiedNs == file.ModifiedNs && (status.Mode & 0xFFF) == file.Mode;
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
