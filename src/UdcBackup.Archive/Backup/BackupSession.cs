using System.Diagnostics;
using UdcBackup.Archive.Chunking;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.IO;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Backup;

/// <summary>
/// One backup in progress, fed entry by entry from any source (local folder, network stream).
/// Content is chunked (FastCDC) and hashed on the caller's thread, new chunks go to the
/// <see cref="PackPipeline"/>; entries are appended to the snapshot's tree in call order.
/// <see cref="CommitAsync"/> stores the tree, indexes the packs and writes the manifest last, so an
/// abandoned or crashed session leaves no snapshot, only packs the next session adopts and reuses.
/// Holds a shared repository lock for its lifetime. <see cref="StoreContentAsync"/> may run for
/// several files at once; <see cref="Add"/> must be called by one feeder, in entry order.
/// </summary>
public sealed class BackupSession : IAsyncDisposable
{
    private readonly ArchiveRepository _repository;
    private readonly BackupOptions _options;
    private readonly RepositoryLock _lock;
    private readonly PackPipeline _pipeline;
    private readonly FastCdcChunker _chunker;
    private readonly ParentTree _parentTree;
    private readonly Snapshot? _parent;
    private readonly ArchiveTreeBuilder _tree = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly System.Collections.Concurrent.ConcurrentBag<byte[]> _windows = [];

    // The id of the chunk cut from a long run of zeros, hashed once: such runs (disk images,
    // preallocated files) are neither hashed nor chunked byte by byte again.
    private readonly Lazy<BlobId> _zeroRunId;
    private readonly Lock _warningsLock = new();
    private bool _committed;
    private long _reused;

    private BackupSession(ArchiveRepository repository, BackupOptions options, RepositoryLock repositoryLock, Snapshot? parent, ParentTree parentTree, BackupStatistics statistics)
    {
        Statistics = statistics;
        _repository = repository;
        _options = options;
        _lock = repositoryLock;
        _parent = parent;
        _parentTree = parentTree;
        var config = repository.Config;
        _chunker = new FastCdcChunker(config.ChunkMin, config.ChunkAverage, config.ChunkMax);
        _zeroRunId = new Lazy<BlobId>(() => config.BlobIdOf(new byte[_chunker.ZeroRunLength]));
        _pipeline = new PackPipeline(repository, Statistics, options.Workers);
    }

    public BackupStatistics Statistics { get; }

    /// <summary>Problems that did not stop the backup (unreadable or changing files).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Records a problem that does not stop the backup; safe from several feeders.</summary>
    public void Warn(string warning)
    {
        lock (_warningsLock)
        {
            Warnings.Add(warning);
        }
    }

    /// <summary>
    /// New blobs are compressed, sealed and written by the feeding thread itself instead of being
    /// queued to the pack pipeline's workers: for a local backup, whose readers already keep every
    /// core busy. A single feeder (a stream from the network) leaves it off to get the workers'
    /// parallelism. Set before the first file is added.
    /// </summary>
    internal bool StoresOnFeederThreads { get; set; }

    /// <summary>The parent snapshot whose unchanged files are reused, if any.</summary>
    public Snapshot? Parent => _parent;

    /// <summary>Locks the repository (shared), adopts packs of crashed writers and loads the parent's tree.</summary>
    public static BackupSession Start(ArchiveRepository repository, BackupOptions options, BackupStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        options = options with { Paths = [.. options.Paths], Tags = new Dictionary<string, string>(options.Tags) };
        var repositoryLock = repository.Lock(exclusive: false);
        try
        {
            var adopted = AdoptUnindexedPacks(repository);
            var damaged = new List<DamagedSnapshot>();
            var parent = FindParent(repository, options, damaged);
            var parentTree = parent is null ? ParentTree.Empty : repository.Timings.Measure("backup.parent-tree", () => LoadParentTree(repository, parent));
            var session = new BackupSession(repository, options, repositoryLock, parent, parentTree, statistics ?? new BackupStatistics());
            foreach (var (pack, blobs) in adopted)
            {
                session._pipeline.Adopt(pack, blobs);
            }

            foreach (var file in repository.Index.DamagedFiles)
            {
                session.Warn(file.Warning);
            }

            foreach (var snapshot in damaged)
            {
                session.Warn($"snapshot {snapshot.File} cannot be read and was not considered as this backup's parent ('udc archive verify' reports it): {snapshot.Message}");
            }

            return session;
        }
        catch
        {
            repositoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds <paramref name="header"/> with the parent's content when the parent holds the same path
    /// with equal type, size, mtime, ctime and inode; true when reused (no content needs to be read).
    /// </summary>
    public bool TryReuseUnchanged(ArchiveEntry header)
    {
        if (!TryGetUnchanged(header, out var entry))
        {
            return false;
        }

        Add(entry);
        return true;
    }

    /// <summary>
    /// The entry to store for an unchanged file (the parent's content and xattrs with the fresh
    /// metadata), without adding it; thread-safe, for feeders that prepare entries in parallel.
    /// </summary>
    public bool TryGetUnchanged(ArchiveEntry header, out ArchiveEntry entry)
    {
        ArgumentNullException.ThrowIfNull(header);
        entry = header;
        if (header.Type != EntryType.File
            || !_parentTree.TryFind(header.Path, out var record)
            || _parentTree.Decode(record) is not { } old
            || old.Type != EntryType.File || old.Size != header.Size || old.ModifiedNs != header.ModifiedNs
            || old.ChangedNs != header.ChangedNs || old.Inode != header.Inode || old.ChangedDuringBackup)
        {
            return false;
        }

        foreach (var chunk in old.Content)
        {
            if (!_repository.Index.Contains(chunk.Id))
            {
                return false;
            }
        }

        entry = header with { Content = old.Content, Xattrs = old.Xattrs, Sparse = old.Sparse };
        Statistics.FileDone();
        Statistics.AddBytes(header.Size);
        Interlocked.Increment(ref _reused);
        return true;
    }

    /// <summary>
    /// Whether the parent's encoded record for <paramref name="header"/> (a fresh stat, nothing
    /// read) is exactly the entry this backup would store (see <see cref="ParentTree.TryMatch"/>);
    /// then pass <paramref name="record"/> to <see cref="AddParentRecord"/> instead of an entry.
    /// Thread-safe; counts a reused file like <see cref="TryGetUnchanged"/>.
    /// </summary>
    internal bool TryMatchParentRecord(ArchiveEntry header, out TreeRecord record)
    {
        if (!_parentTree.TryMatch(header, _repository.Index.Contains, out record))
        {
            return false;
        }

        if (record.Type == EntryType.File)
        {
            Statistics.FileDone();
            Statistics.AddBytes(record.Size);
            Interlocked.Increment(ref _reused);
        }

        return true;
    }

    /// <summary>Appends a parent record found by <see cref="TryMatchParentRecord"/>, copying its bytes.</summary>
    internal void AddParentRecord(TreeRecord record)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _tree.AddRecord(_parentTree.Bytes(record), record.Type, record.Size);
    }

    /// <summary>Appends an entry whose content (if any) is already stored.</summary>
    public void Add(ArchiveEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ObjectDisposedException.ThrowIf(_committed, this);
        _tree.Add(entry);
    }

    /// <summary>
    /// Thread-safe (several files may be stored at once, each with its own read window).
    /// Reads a file's content from <paramref name="content"/>, stores new chunks, and returns the
    /// entry with <see cref="ArchiveEntry.Content"/> and <see cref="ArchiveEntry.Size"/> set (not yet
    /// added: call <see cref="Add"/>). Without <paramref name="extents"/> the stream is read to its
    /// end; with them, the stream yields exactly the extents' bytes in order and the gaps are holes.
    /// </summary>
    public async Task<ArchiveEntry> StoreContentAsync(ArchiveEntry header, Stream content, IReadOnlyList<DataExtent>? extents, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(content);
        var chunks = new List<ChunkRef>();
        long size;
        if (extents is null)
        {
            size = await ChunkAsync(content, 0, long.MaxValue, chunks, ct);
        }
        else
        {
            long last = 0;
            foreach (var extent in extents)
            {
                if (extent.Offset < last || extent.Length < 0)
                {
                    throw new ArchiveException(ArchiveErrorCode.InvalidArgument, $"Extents of '{header.Path}' overlap or are not in order.");
                }

                var read = await ChunkAsync(content, extent.Offset, extent.Length, chunks, ct);
                if (read != extent.Length)
                {
                    throw new ArchiveException(ArchiveErrorCode.IoFailure, $"Content of '{header.Path}' ended after {read} of {extent.Length} bytes of an extent.");
                }

                last = extent.Offset + extent.Length;
            }

            size = Math.Max(header.Size, last);
        }

        Statistics.FileDone();
        return header with { Content = chunks, Size = size, Sparse = extents is not null };
    }

    /// <summary>Stores the content and adds the entry.</summary>
    public async Task AddFileAsync(ArchiveEntry header, Stream content, IReadOnlyList<DataExtent>? extents, CancellationToken ct) =>
        Add(await StoreContentAsync(header, content, extents, ct));

    /// <summary>
    /// Flushes everything, writes the tree, the index and finally the manifest. A full repository
    /// fails with <see cref="ArchiveErrorCode.NoSpace"/> and saves no snapshot.
    /// </summary>
    public async Task<Snapshot> CommitAsync(CancellationToken ct)
    {
        try
        {
            return await WriteSnapshotAsync(ct);
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            throw NoSpace(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _pipeline.DisposeAsync();
        }
        finally
        {
            _lock.Dispose();
        }
    }

    private async Task<Snapshot> WriteSnapshotAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var started = _repository.Timings.Start();
        var treeIds = new List<string>();
        foreach (var chunk in _tree.Build())
        {
            treeIds.Add((await StoreBlobAsync(BlobType.Tree, chunk, ct)).ToString());
        }

        started = _repository.Timings.Add("backup.tree", started);
        await _pipeline.CompleteAsync();
        _repository.Timings.Add("backup.drain-pipeline", started);
        _committed = true;
        var summary = new SnapshotSummary
        {
            Files = _tree.Files,
            Directories = _tree.Directories,
            Bytes = _tree.Bytes,
            FilesRead = _tree.Files - Interlocked.Read(ref _reused),
            NewBlobs = Statistics.NewBlobs,
            NewBytes = Statistics.NewBytes,
            StoredBytes = Statistics.StoredBytes,
            DurationSeconds = Math.Round(_clock.Elapsed.TotalSeconds, 3),
            Warnings = [.. Warnings],
        };
        var snapshot = new Snapshot
        {
            Time = _repository.Time.GetUtcNow(),
            Host = _options.Host ?? Environment.MachineName,
            Paths = _options.Paths,
            Tags = _options.Tags,
            Kind = _parent is null ? "full" : "incremental",
            Parent = _parent?.Id.ToString(),
            Tree = treeIds,
            Summary = summary,
        };
        _repository.SaveSnapshot(snapshot);
        return snapshot;
    }

    private async Task<long> ChunkAsync(Stream content, long fileOffset, long limit, List<ChunkRef> chunks, CancellationToken ct)
    {
        var window = _windows.TryTake(out var free) ? free : new byte[_chunker.MaxSize * 2];
        try
        {
            return await ChunkIntoAsync(window, content, fileOffset, limit, chunks, ct);
        }
        finally
        {
            _windows.Add(window);
        }
    }

    private async Task<long> ChunkIntoAsync(byte[] window, Stream content, long fileOffset, long limit, List<ChunkRef> chunks, CancellationToken ct)
    {
        var timings = _repository.Timings;
        var filled = 0;
        var start = 0;
        long total = 0;
        var eof = false;
        while (true)
        {
            while (!eof && filled < window.Length && total + filled - start < limit)
            {
                var want = (int)Math.Min(window.Length - filled, limit - (total + filled - start));
                var readStarted = timings.Start();
                var read = await content.ReadAsync(window.AsMemory(filled, want), ct);
                timings.Add("backup.read", readStarted);
                if (read == 0)
                {
                    eof = true;
                    break;
                }

                filled += read;
                if (total + filled - start >= limit)
                {
                    eof = true;
                }
            }

            var available = filled - start;
            if (available == 0 && eof)
            {
                return total;
            }

            if (available == 0)
            {
                // Chunks ended exactly at the end of a full window (two maximum-size chunks of
                // zeros do): the file goes on, so read the next window instead of stopping here.
                filled = 0;
                start = 0;
                continue;
            }

            if (available < _chunker.MaxSize && !eof)
            {
                Buffer.BlockCopy(window, start, window, 0, available);
                filled = available;
                start = 0;
                continue;
            }

            var chunkStarted = timings.Start();
            var zeros = available >= _chunker.MaxSize && IsZeroRun(window.AsSpan(start, _chunker.ZeroRunLength));
            var length = zeros ? _chunker.ZeroRunLength : _chunker.NextBoundary(window.AsSpan(start, available));
            timings.Add("backup.chunk", chunkStarted);
            var id = zeros
                ? await StoreBlobAsync(BlobType.Data, window.AsMemory(start, length), _zeroRunId.Value, ct)
                : await StoreBlobAsync(BlobType.Data, window.AsMemory(start, length), ct);
            chunks.Add(new ChunkRef(fileOffset + total, length, id));
            Statistics.AddBytes(length);
            total += length;
            start += length;
        }
    }

    private static bool IsZeroRun(ReadOnlySpan<byte> data) => data.IndexOfAnyExcept((byte)0) < 0;

    private async ValueTask<BlobId> StoreBlobAsync(BlobType type, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var started = _repository.Timings.Start();
        var id = _repository.Config.BlobIdOf(data.Span);
        _repository.Timings.Add("backup.hash", started);
        return await StoreBlobAsync(type, data, id, ct);
    }

    /// <summary>Stores <paramref name="data"/>, whose id is <paramref name="id"/>, unless the repository or this backup has it.</summary>
    private async ValueTask<BlobId> StoreBlobAsync(BlobType type, ReadOnlyMemory<byte> data, BlobId id, CancellationToken ct)
    {
        var started = _repository.Timings.Start();
        if (_pipeline.Claim(id))
        {
            try
            {
                if (StoresOnFeederThreads)
                {
                    _pipeline.Store(id, type, data.Span);
                }
                else
                {
                    await _pipeline.PostAsync(id, type, data, ct);
                }
            }
            catch (IOException ex) when (DiskFull.Is(ex))
            {
                // Not an IOException any more: a feeder would take it for its source file's and skip the file.
                throw NoSpace(ex);
            }

            _repository.Timings.Add("backup.queue-new-blob", started);
        }

        return id;
    }

    private ArchiveException NoSpace(Exception ex) =>
        DiskFull.InRepository(_repository.Root, ex, "No snapshot was saved; the packs finished so far stay and the next backup reuses them. Free space there and run the backup again.");

    private static ParentTree LoadParentTree(ArchiveRepository repository, Snapshot parent)
    {
        var stream = SnapshotReader.ReadStream(repository, parent);
        try
        {
            return ParentTree.Parse(stream);
        }
        catch (InvalidDataException ex)
        {
            throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"Snapshot {parent.ShortId}: {ex.Message}", ex);
        }
    }

    // The packs no readable index file lists (a crashed writer's, or those only a damaged index file
    // listed), read from their headers; this session lists them in its index.
    private static List<(BlobId Pack, IReadOnlyList<PackedBlob> Blobs)> AdoptUnindexedPacks(ArchiveRepository repository)
    {
        repository.AdoptUnlistedPacks(repository.Index);
        return repository.Index.TakeAdoptedPacks();
    }

    // A damaged snapshot file is skipped here (a parent only saves reading unchanged files); forget and prune still refuse to act on a partial list.
    private static Snapshot? FindParent(ArchiveRepository repository, BackupOptions options, List<DamagedSnapshot> damaged)
    {
        if (options.Parent == "none")
        {
            return null;
        }

        if (options.Parent is not null)
        {
            return repository.FindSnapshot(options.Parent);
        }

        var host = options.Host ?? Environment.MachineName;
        return repository.ListSnapshots(damaged)
            .LastOrDefault(s => s.Host == host && s.Paths.SequenceEqual(options.Paths, StringComparer.Ordinal));
    }
}
