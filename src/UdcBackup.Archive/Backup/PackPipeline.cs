using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using UdcBackup.Archive.Crypto;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Archive.Backup;

/// <summary>
/// Turns new blobs into pack files using every core: producers post plaintext blobs into a bounded
/// channel (memory is bounded by a fixed set of <c>workers + 2</c> chunk buffers), workers compress
/// (<see cref="BlobCompressor"/>: a sample detects incompressible blobs, which are stored raw), seal
/// and append to the current pack; a full pack is handed to a finisher (fsync + rename, one pack
/// after the other in the background, at most two waiting) while the workers continue in a fresh
/// pack: a worker that waited for the disk's flush of 16 MiB (10-60 ms here) left its core idle.
/// Feeders that already run one per core may instead <see cref="Store"/> a blob on their own thread.
/// Finished packs are indexed in memory at once (so later duplicates are skipped) and written to an
/// index file every <see cref="IndexEvery"/> packs and at <see cref="CompleteAsync"/>. A failure in
/// any worker or in finishing a pack fails the pipeline; unfinished temp packs are deleted, finished
/// ones stay reusable.
/// </summary>
internal sealed class PackPipeline : IAsyncDisposable
{
    private const int IndexEvery = 32;
    private const int MaxUnfinishedPacks = 2;
    private readonly ArchiveRepository _repository;
    private readonly BackupStatistics _statistics;
    private readonly Channel<Job> _jobs;
    private readonly Task[] _workers;
    private readonly ConcurrentDictionary<BlobId, byte> _pending = new();
    private readonly ConcurrentBag<byte[]> _buffers = [];
    private readonly ConcurrentBag<BlobWorker> _idleWorkers = [];
    private readonly SemaphoreSlim _bufferSlots;
    private readonly int _bufferSize;
    private readonly Lock _packLock = new();
    private readonly List<(BlobId, IReadOnlyList<PackedBlob>)> _unindexed = [];
    private PackWriter? _current;
    private Task _finishing = Task.CompletedTask;

    // Full packs waiting for their finish, at most: a slow disk makes the thread that filled the next
    // one wait, so what a crash leaves unfinished stays bounded, as when each pack was finished inline.
    private readonly SemaphoreSlim _finishSlots = new(MaxUnfinishedPacks);
    private Exception? _failure; // the first failure of a pack's finish or of a blob stored on a feeder's thread

    public PackPipeline(ArchiveRepository repository, BackupStatistics statistics, int workers)
    {
        _repository = repository;
        _statistics = statistics;
        workers = Math.Max(1, workers);

        // A fixed set of chunk buffers, owned here: renting from the shared ArrayPool on one thread
        // and returning on another grew the pool without bound (buffers pile up in the workers' caches).
        _bufferSize = repository.Config.ChunkMax;
        _bufferSlots = new SemaphoreSlim(workers + 2);
        _jobs = Channel.CreateBounded<Job>(new BoundedChannelOptions(workers * 2) { SingleWriter = false, SingleReader = false });
        _workers = Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    /// <summary>Adds packs found in <c>data/</c> but in no index file (a crashed writer's), to be indexed by us.</summary>
    public void Adopt(BlobId pack, IReadOnlyList<PackedBlob> blobs)
    {
        lock (_packLock)
        {
            _unindexed.Add((pack, blobs));
        }
    }

    /// <summary>
    /// Claims <paramref name="id"/> for storing; false when the repository or this pipeline already has it.
    /// The caller then must <see cref="PostAsync"/> it.
    /// </summary>
    public bool Claim(BlobId id) => !_repository.Index.Contains(id) && _pending.TryAdd(id, 0);

    /// <summary>Copies a claimed blob into a pipeline buffer (waiting for a free one) and queues it.</summary>
    public async ValueTask PostAsync(BlobId id, BlobType type, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        byte[] buffer;
        if (data.Length > _bufferSize)
        {
            buffer = new byte[data.Length]; // tree chunks may exceed data chunks in odd configurations
        }
        else
        {
            await _bufferSlots.WaitAsync(ct);
            buffer = _buffers.TryTake(out var free) ? free : new byte[_bufferSize];
        }

        data.CopyTo(buffer);
        try
        {
            await _jobs.Writer.WriteAsync(new Job(id, type, buffer, data.Length), ct);
        }
        catch (ChannelClosedException closed) when (closed.InnerException is not null)
        {
            // A worker failed (disk full, a vanished tmp folder ...): report its error, not the closed channel.
            Release(buffer);
            ExceptionDispatchInfo.Capture(closed.InnerException).Throw();
        }
    }

    /// <summary>Waits for every queued blob, finishes the last pack and writes the index file.</summary>
    public async Task CompleteAsync()
    {
        _jobs.Writer.TryComplete();
        await Task.WhenAll(_workers);
        PackWriter? last;
        lock (_packLock)
        {
            last = _current;
            _current = null;
        }

        if (last is not null)
        {
            QueueFinish(last);
        }

        await FinishedAsync();
        WriteIndex(force: true);
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_workers);
        }
        catch (Exception)
        {
            // The failure was already reported by CompleteAsync or the caller is unwinding another error.
        }

        _current?.Dispose();
        foreach (var worker in _idleWorkers)
        {
            worker.Dispose();
        }

        try
        {
            await FinishedAsync();
        }
        catch (Exception)
        {
            // As above: the finisher's error was reported, or another one is being unwound.
        }

        _bufferSlots.Dispose();
        _finishSlots.Dispose();
    }

    /// <summary>
    /// Compresses, seals and appends a claimed blob on the calling thread, for feeders that already
    /// run one per core (a local backup's readers): no copy into a pipeline buffer and no handoff to a
    /// worker, whose wake-ups left cores idle between thousands of small blobs. Throws what a worker
    /// would have failed with, and an earlier pack's failure to finish.
    /// </summary>
    public void Store(BlobId id, BlobType type, ReadOnlySpan<byte> data)
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        var worker = _idleWorkers.TryTake(out var idle) ? idle : new BlobWorker(this);
        try
        {
            worker.Store(id, type, data);
        }
        catch (Exception ex)
        {
            // As a worker's failure does: the pipeline is failed, so the backup cannot commit
            // without this blob even if the feeder takes the error for its file's and goes on.
            Interlocked.CompareExchange(ref _failure, ex, null);
            _jobs.Writer.TryComplete(ex);
            throw;
        }
        finally
        {
            _idleWorkers.Add(worker);
        }
    }

    private async Task WorkAsync()
    {
        // Made at the first job: when the feeders store on their own threads no job comes, and the
        // worker's compression context and scratch buffer would only be allocated and dropped.
        BlobWorker? worker = null;
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync())
            {
                try
                {
                    worker ??= new BlobWorker(this);
                    worker.Store(job.Id, job.Type, job.Buffer.AsSpan(0, job.Length));
                }
                finally
                {
                    Release(job.Buffer);
                }
            }
        }
        catch (Exception ex)
        {
            // Producers then fail with this error; the queued blobs give their buffers back so no
            // producer waits for a buffer that no worker will ever free.
            _jobs.Writer.TryComplete(ex);
            while (_jobs.Reader.TryRead(out var left))
            {
                Release(left.Buffer);
            }

            throw;
        }
        finally
        {
            worker?.Dispose();
        }
    }

    /// <summary>Seals a blob in place; format 2 binds its id as associated data (see <see cref="RepositoryConfig.BindsBlobIds"/>).</summary>
    private int SealInPlace(BlobId id, byte[] scratch, int payloadLength, byte[] idBytes)
    {
        if (!_repository.Config.BindsBlobIds)
        {
            return _repository.Key.SealInPlace(scratch, payloadLength);
        }

        id.Write(idBytes);
        return _repository.Key.SealInPlace(scratch, payloadLength, idBytes);
    }

    private void Release(byte[] buffer)
    {
        if (buffer.Length == _bufferSize)
        {
            _buffers.Add(buffer);
            _bufferSlots.Release();
        }
    }

    private void Append(BlobId id, BlobType type, bool compressed, int rawLength, ReadOnlySpan<byte> sealedBlob)
    {
        PackWriter? full = null;
        lock (_packLock)
        {
            _current ??= new PackWriter(_repository.TempFolder, _repository.Config.NamesPacksByTrailer);
            _current.Add(id, type, compressed, rawLength, sealedBlob);
            if (_current.Length >= _repository.Config.PackSize)
            {
                full = _current;
                _current = null;
            }
        }

        if (full is not null)
        {
            QueueFinish(full);
        }
    }

    /// <summary>
    /// Finishes <paramref name="writer"/>'s pack after the ones queued before it, on a thread of its
    /// own; waits first while <see cref="MaxUnfinishedPacks"/> full packs are not finished yet. Not on
    /// the thread pool: the threads that wait here are pool threads (a local backup's readers, the
    /// pipeline's workers), one per core, so a finish queued to the pool waited for the pool to add a
    /// thread, which it does only after it sees starvation: 0.4-1.4 s of a 3.2-3.8 s backup of the
    /// benchmark dataset went into that wait.
    /// A failure fails the pipeline (the jobs channel is closed with it, so producers and workers
    /// stop); packs queued after it are still tried, as each one finished is reused by the next backup.
    /// </summary>
    private void QueueFinish(PackWriter writer)
    {
        _finishSlots.Wait();
        lock (_packLock)
        {
            _finishing = _finishing.ContinueWith(
                _ =>
                {
                    try
                    {
                        FinishPack(writer);
                    }
                    catch (Exception ex)
                    {
                        Interlocked.CompareExchange(ref _failure, ex, null);
                        _jobs.Writer.TryComplete(ex);
                    }
                    finally
                    {
                        _finishSlots.Release();
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.LongRunning,
                TaskScheduler.Default);
        }
    }

    /// <summary>Waits for every queued pack to be finished and rethrows the pipeline's first failure.</summary>
    private async Task FinishedAsync()
    {
        Task finishing;
        lock (_packLock)
        {
            finishing = _finishing;
        }

        await finishing;
        if (Volatile.Read(ref _failure) is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    private void FinishPack(PackWriter writer)
    {
        using (writer)
        {
            if (writer.Count == 0)
            {
                return;
            }

            var packId = writer.Finish(_repository.DataFolder, _repository.Key);
            var blobs = writer.Blobs.ToArray();
            _repository.Index.AddPack(packId, blobs);
            lock (_packLock)
            {
                _unindexed.Add((packId, blobs));
            }
        }

        WriteIndex(force: false);
    }

    private void WriteIndex(bool force)
    {
        List<(BlobId, IReadOnlyList<PackedBlob>)> batch;
        lock (_packLock)
        {
            if (_unindexed.Count == 0 || (!force && _unindexed.Count < IndexEvery))
            {
                return;
            }

            batch = [.. _unindexed];
            _unindexed.Clear();
        }

        _repository.WriteIndex(batch);
    }

    private readonly record struct Job(BlobId Id, BlobType Type, byte[] Buffer, int Length);

    /// <summary>
    /// What one thread needs to turn a blob into its sealed form: a compression context and a scratch
    /// buffer laid out as a sealed blob (nonce | payload | tag), the payload compressed (or copied)
    /// straight into place and encrypted in place, so no blob allocates. A context of its own per
    /// worker, not per thread: async loops resume on varying pool threads, and per-thread contexts
    /// multiplied the compression workspaces by the number of pool threads.
    /// </summary>
    private sealed class BlobWorker(PackPipeline pipeline) : IDisposable
    {
        private readonly BlobCompressor _compressor = new(pipeline._repository.Config.CompressionLevel);
        private readonly byte[] _idBytes = new byte[BlobId.Size];
        private readonly byte[] _scratch = new byte[MasterKey.NonceSize + BlobCompressor.DestinationSize(pipeline._bufferSize) + MasterKey.TagSize];

        public void Store(BlobId id, BlobType type, ReadOnlySpan<byte> plain)
        {
            var timings = pipeline._repository.Timings;
            var scratch = plain.Length > pipeline._bufferSize
                ? new byte[MasterKey.NonceSize + BlobCompressor.DestinationSize(plain.Length) + MasterKey.TagSize]
                : _scratch;
            var payloadArea = scratch.AsSpan(MasterKey.NonceSize, scratch.Length - MasterKey.Overhead);
            var started = timings.Start();
            var compressedLength = _compressor.TryCompress(plain, payloadArea);
            started = timings.Add("backup.compress", started);
            var useCompressed = compressedLength >= 0;
            if (!useCompressed)
            {
                plain.CopyTo(payloadArea);
            }

            var sealedLength = pipeline.SealInPlace(id, scratch, useCompressed ? compressedLength : plain.Length, _idBytes);
            started = timings.Add("backup.encrypt", started);
            pipeline.Append(id, type, useCompressed, plain.Length, scratch.AsSpan(0, sealedLength));
            timings.Add("backup.pack-write", started);
            pipeline._statistics.AddNewBlob(plain.Length, sealedLength);
        }

        public void Dispose() => _compressor.Dispose();
    }
}
