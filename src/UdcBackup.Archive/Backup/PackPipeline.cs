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
/// and append to the current pack; a full pack is finished (fsync + rename) by the worker that
/// filled it while the others continue in a fresh pack.
/// Finished packs are indexed in memory at once (so later duplicates are skipped) and written to an
/// index file every <see cref="IndexEvery"/> packs and at <see cref="CompleteAsync"/>. A failure in
/// any worker fails the pipeline; unfinished temp packs are deleted, finished ones stay reusable.
/// </summary>
internal sealed class PackPipeline : IAsyncDisposable
{
    private const int IndexEvery = 32;
    private readonly ArchiveRepository _repository;
    private readonly BackupStatistics _statistics;
    private readonly Channel<Job> _jobs;
    private readonly Task[] _workers;
    private readonly ConcurrentDictionary<BlobId, byte> _pending = new();
    private readonly ConcurrentBag<byte[]> _buffers = [];
    private readonly SemaphoreSlim _bufferSlots;
    private readonly int _bufferSize;
    private readonly Lock _packLock = new();
    private readonly List<(BlobId, IReadOnlyList<PackedBlob>)> _unindexed = [];
    private PackWriter? _current;

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
            FinishPack(last);
        }

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
        _bufferSlots.Dispose();
    }

    private async Task WorkAsync()
    {
        // One scratch buffer per worker, laid out as a sealed blob: nonce | payload | tag. The payload
        // is compressed (or copied) straight into place and encrypted in place: no per-blob allocation.
        var scratch = new byte[MasterKey.NonceSize + BlobCompressor.DestinationSize(_bufferSize) + MasterKey.TagSize];

        // A context of its own: this loop resumes on varying pool threads, and per-thread contexts
        // multiplied the level-3 workspaces by the number of pool threads.
        using var compressor = new BlobCompressor(_repository.Config.CompressionLevel);
        var timings = _repository.Timings;
        var idBytes = new byte[BlobId.Size];
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync())
            {
                try
                {
                    var plain = job.Buffer.AsSpan(0, job.Length);
                    var payloadArea = scratch.AsSpan(MasterKey.NonceSize, scratch.Length - MasterKey.Overhead);
                    if (job.Length > _bufferSize)
                    {
                        scratch = new byte[MasterKey.NonceSize + BlobCompressor.DestinationSize(job.Length) + MasterKey.TagSize];
                        payloadArea = scratch.AsSpan(MasterKey.NonceSize, scratch.Length - MasterKey.Overhead);
                    }

                    var started = timings.Start();
                    var compressedLength = compressor.TryCompress(plain, payloadArea);
                    started = timings.Add("backup.compress", started);
                    var useCompressed = compressedLength >= 0;
                    if (!useCompressed)
                    {
                        plain.CopyTo(payloadArea);
                    }

                    var sealedLength = SealInPlace(job.Id, scratch, useCompressed ? compressedLength : job.Length, idBytes);
                    started = timings.Add("backup.encrypt", started);
                    Append(job.Id, job.Type, useCompressed, job.Length, scratch.AsSpan(0, sealedLength));
                    timings.Add("backup.pack-write", started);
                    _statistics.AddNewBlob(job.Length, sealedLength);
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
            FinishPack(full);
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
}
