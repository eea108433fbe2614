using Microsoft.Win32.SafeHandles;
using UdcBackup.Archive.Native;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Backup;

/// <summary>
/// Backs up local paths: a first pass stats every entry (for totals and ETA), a second pass feeds
/// a <see cref="BackupSession"/> in path order. Files unchanged since the parent (size, mtime,
/// ctime, inode) are not opened. Symlinks are stored, never followed; a file with several names
/// is stored once and its other names as hardlinks; sparse files are read extent by extent.
/// Paths matching <see cref="BackupOptions.Excludes"/> are not entered (see <see cref="ExcludeFilter"/>).
/// A file that cannot be read is skipped with a warning; one that changes while read is stored
/// as read, flagged and warned about. Ancestor folders of each source path are recorded too.
/// </summary>
public sealed class FileSystemBackup(ArchiveRepository repository, BackupOptions options)
{
    public BackupStatistics Statistics { get; } = new();

    /// <summary>
    /// Starts the stat walk of <paramref name="options"/>' paths before the repository is open, so
    /// that the walk overlaps the password's key derivation; pass the result to <see cref="RunAsync(FileSystemScan, CancellationToken)"/>
    /// with the same paths and excludes. A missing source path throws here.
    /// </summary>
    public static FileSystemScan StartScan(BackupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Paths.Count == 0)
        {
            throw new ArchiveException(ArchiveErrorCode.InvalidArgument, "Nothing to back up: give at least one path.");
        }

        var roots = Roots(options.Paths);
        var warnings = new List<string>();
        var excludes = new ExcludeFilter(options.Excludes);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var items = Task.Run(() => (Scan(roots, warnings, excludes), clock.Elapsed), CancellationToken.None);
        return new FileSystemScan(roots, warnings, items);
    }

    /// <summary>Runs the backup of <see cref="BackupOptions.Paths"/> and returns the new snapshot.</summary>
    public async Task<Snapshot> RunAsync(CancellationToken ct) => await RunAsync(StartScan(options), ct);

    /// <summary>Runs the backup with a walk begun by <see cref="StartScan"/> for the same options.</summary>
    public async Task<Snapshot> RunAsync(FileSystemScan walk, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(walk);
        var roots = walk.Roots;
        var warnings = walk.Warnings;

        // The stat walk and the session start (lock, index, parent tree) need nothing from each
        // other; run at once they overlap, which is most of a no-change backup's wall time.
        var scan = TimedScanAsync(walk);
        BackupSession session;
        try
        {
            session = repository.Timings.Measure("backup.session-start", () => BackupSession.Start(repository, options with { Paths = roots }, Statistics));
            session.StoresOnFeederThreads = true; // one reader per worker below
        }
        catch
        {
            await scan.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        await using var sessionScope = session;
        var items = await scan;
        Statistics.FilesTotal = items.Count(i => i.Status.IsRegular);
        Statistics.BytesTotal = items.Where(i => i.Status.IsRegular).Sum(i => i.Status.Size);
        var firstNames = HardlinkTargets(items);
        var started = repository.Timings.Start();
        session.Warnings.AddRange(warnings);

        // Every item is first matched against the parent without reading anything (a no-change
        // backup ends there); only the files that changed are then read, chunked and hashed by
        // several readers at once so that no core idles on a small file's syscalls. Entries are
        // added in walk order. The first pass is synchronous: an async step per item was tens of
        // thousands of state machines and value tasks the runtime compiles at each start.
        var entries = new Prepared[items.Count];
        var toRead = new bool[items.Count];
        RunParallel(items.Count, options.Workers, i =>
        {
            try
            {
                toRead[i] = !TryPrepareWithoutReading(session, items[i], firstNames[i], out entries[i]);
                GarbagePacer.Backup.Tick();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                session.Warn($"skipped '{items[i].FullPath}': {ex.Message}");
            }
        }, ct);
        var order = ReadOrder(items, toRead);
        using var readAhead = new ReadAhead(items, order);
        await Parallel.ForEachAsync(
            order,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Workers), CancellationToken = ct },
            async (i, token) =>
            {
                readAhead.Taken(items[i].Status.Size);
                try
                {
                    var header = Header(items[i].RelativePath, items[i].Status) with { Xattrs = LinuxFileSystem.ReadXattrs(items[i].FullPath) };
                    entries[i] = new(await StoreFileAsync(session, items[i], header, token), default);
                    GarbagePacer.Backup.Tick();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    session.Warn($"skipped '{items[i].FullPath}': {ex.Message}");
                }
            });
        started = repository.Timings.Add("backup.files", started);
        foreach (var entry in entries)
        {
            if (entry.Entry is not null)
            {
                session.Add(entry.Entry);
            }
            else if (entry.Record.Length > 0)
            {
                session.AddParentRecord(entry.Record);
            }
        }

        repository.Timings.Add("backup.tree-add", started);

        return await session.CommitAsync(ct);
    }

    private async Task<List<Item>> TimedScanAsync(FileSystemScan walk)
    {
#pragma warning disable VSTHRD003 // the walk was started with Task.Run on the thread pool: there is no context to deadlock on
        var (items, elapsed) = await walk.Items;
#pragma warning restore VSTHRD003
        repository.Timings.Add("backup.scan", new Diagnostics.StageTimings.Mark(System.Diagnostics.Stopwatch.GetTimestamp() - (long)(elapsed.TotalSeconds * System.Diagnostics.Stopwatch.Frequency), 0, Thread: -1));
        return items;
    }

    /// <summary>
    /// The files to read, largest first. Each file is chunked and hashed by one reader, so a large
    /// file met last in walk order kept one core busy alone at the end while the other idled; started
    /// first, it runs beside the many small ones. Entries still go into the tree in walk order.
    /// </summary>
    private static int[] ReadOrder(List<Item> items, bool[] toRead)
    {
        var order = Enumerable.Range(0, items.Count).Where(i => toRead[i]).ToArray();
        var sizes = order.Select(i => items[i].Status.Size).ToArray();
        Array.Sort(sizes, order, Comparer<long>.Create(static (a, b) => b.CompareTo(a)));
        return order;
    }

    /// <summary>For each item, the first path of the same inode when it is a further hard link of a file seen before.</summary>
    internal static string?[] HardlinkTargets(List<Item> items)
    {
        var targets = new string?[items.Count];
        var firstNames = new Dictionary<(ulong, ulong), string>();
        for (var i = 0; i < items.Count; i++)
        {
            var status = items[i].Status;
            if (status.IsRegular && status.LinkCount > 1 && !firstNames.TryAdd((status.Device, status.Inode), items[i].RelativePath))
            {
                targets[i] = firstNames[(status.Device, status.Inode)];
            }
        }

        return targets;
    }

    /// <summary>
    /// The entry to add for one walked item when that needs no content read: an unchanged one (same
    /// stat as in the parent) is the parent's encoded record, copied as it is, with no attribute,
    /// link or content read; a further hard link, a folder, symlink or special file is built from
    /// its stat, attributes and link target. False for a regular file whose content must be read.
    /// </summary>
    private static bool TryPrepareWithoutReading(BackupSession session, Item item, string? hardlinkTarget, out Prepared prepared)
    {
        var status = item.Status;
        var header = Header(item.RelativePath, status);
        prepared = default;
        if (hardlinkTarget is not null)
        {
            session.Statistics.FileDone();
            prepared = new(header with { Type = EntryType.Hardlink, LinkTarget = hardlinkTarget }, default);
            return true;
        }

        if (session.TryMatchParentRecord(header, out var record))
        {
            prepared = new(null, record);
            return true;
        }

        if (status.IsRegular)
        {
            if (!session.TryGetUnchanged(header, out var unchanged))
            {
                return false;
            }

            prepared = new(unchanged, default);
            return true;
        }

        header = header with { Xattrs = LinuxFileSystem.ReadXattrs(item.FullPath) };
        prepared = new(status.IsSymlink ? header with { LinkTarget = new FileInfo(item.FullPath).LinkTarget ?? "" } : header, default);
        return true;
    }

    /// <summary>
    /// <c>Parallel.For</c> over <paramref name="count"/> items on at most <paramref name="workers"/>
    /// threads, rethrowing a single failure as itself rather than wrapped in an <see cref="AggregateException"/>.
    /// </summary>
    private static void RunParallel(int count, int workers, Action<int> body, CancellationToken ct)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = ct }, body);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }

    private static async Task<ArchiveEntry> StoreFileAsync(BackupSession session, Item item, ArchiveEntry header, CancellationToken ct)
    {
        ArchiveEntry stored;
        using (var handle = LinuxFileSystem.OpenForReading(item.FullPath))
        {
            // A whole file is read as one extent (0, size): synchronous positional reads bounded by
            // the stat size, so a small file costs one read call and no thread-pool hop.
            var extents = item.Status.MayBeSparse ? SparseExtents(handle, item.Status.Size) : null;
            await using var content = new ExtentStream(handle, extents ?? [new DataExtent(0, item.Status.Size)]);
            stored = await session.StoreContentAsync(header, content, extents, ct);
        }

        var after = LinuxFileSystem.Stat(item.FullPath);
        if (!after.UnchangedSince(item.Status) || stored.Size != item.Status.Size)
        {
            session.Warn($"'{item.FullPath}' changed while it was read; stored {stored.Size} bytes as read");
            stored = stored with { ChangedDuringBackup = true };
        }

        return stored;
    }

    /// <summary>Absolute, distinct source paths; a missing one is an <see cref="ArchiveErrorCode.InvalidArgument"/>.</summary>
    internal static List<string> Roots(IEnumerable<string> paths)
    {
        var roots = paths.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))).Distinct(StringComparer.Ordinal).ToList();
        foreach (var root in roots)
        {
            if (!Path.Exists(root) && new FileInfo(root).LinkTarget is null)
            {
                throw new ArchiveException(ArchiveErrorCode.InvalidArgument, $"Source path '{root}' does not exist.");
            }
        }

        return roots;
    }

    internal static List<DataExtent> SparseExtents(SafeFileHandle handle, long size) =>
        LinuxFileSystem.DataExtents(handle, size).Select(e => new DataExtent(e.Offset, e.Length)).ToList();

    internal static ArchiveEntry Header(string relativePath, FileStatus status) => new()
    {
        Path = relativePath,
        Type = TypeOf(status),
        Mode = status.Mode & 0xFFF,
        Uid = status.Uid,
        Gid = status.Gid,
        ModifiedNs = status.ModifiedNs,
        ChangedNs = status.ChangedNs,
        Inode = status.Inode,
        Device = status.Device,
        Size = status.IsRegular ? status.Size : 0,
        RdevMajor = status.RdevMajor,
        RdevMinor = status.RdevMinor,
    };

    private static EntryType TypeOf(FileStatus status) => (status.Mode & FileStatus.TypeMask) switch
    {
        FileStatus.RegularBits => EntryType.File,
        FileStatus.DirectoryBits => EntryType.Directory,
        FileStatus.SymlinkBits => EntryType.Symlink,
        FileStatus.FifoBits => EntryType.Fifo,
        FileStatus.CharDeviceBits => EntryType.CharDevice,
        FileStatus.BlockDeviceBits => EntryType.BlockDevice,
        _ => EntryType.Socket,
    };

    internal static List<Item> Scan(List<string> roots, List<string> warnings, ExcludeFilter? excludes = null)
    {
        excludes ??= new ExcludeFilter([]);
        var items = new List<Item>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            var ancestors = new List<string>();
            for (var parent = Path.GetDirectoryName(root); !string.IsNullOrEmpty(parent) && parent != "/"; parent = Path.GetDirectoryName(parent))
            {
                ancestors.Insert(0, parent);
            }

            foreach (var ancestor in ancestors)
            {
                if (seen.Add(Relative(ancestor)))
                {
                    items.Add(new Item(ancestor, Relative(ancestor), LinuxFileSystem.Stat(ancestor)));
                }
            }

            foreach (var item in TreeWalk.Run(root, warnings, excludes))
            {
                if (seen.Add(item.RelativePath))
                {
                    items.Add(item);
                }
            }
        }

        return items;
    }

    internal static string Relative(string fullPath) => fullPath.TrimStart('/');

    internal sealed record Item(string FullPath, string RelativePath, FileStatus Status);

    /// <summary>What <see cref="TryPrepareWithoutReading"/> or the read of a changed file produced: a new entry, or else (when <see cref="TreeRecord.Length"/> is set) a parent record to copy; neither for a skipped item.</summary>
    private readonly record struct Prepared(ArchiveEntry? Entry, TreeRecord Record);
}
