using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.Native;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Archive.Backup;

/// <summary>
/// Turns new blobs into pack files using every core: producers post plaintext blobs into a bounded
/// channel (which bounds memory: at most <c>2 x workers</c> blobs wait), workers compress (kept only
/// when it saves at least 1/32), seal and append to the current pack; a full pack is finished
/// (fsync + rename) by the worker that filled it while the others continue in a fresh pack.
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
    private readonly Lock _packLock = new();
    private readonly List<(BlobId, IReadOnlyList<PackedBlob>)> _unindexed = [];
    private PackWriter? _current;

    public PackPipeline(ArchiveRepository repository, BackupStatistics statistics, int workers)
    {
        _repository = repository;
        _statistics = statistics;
        workers = Math.Max(1, workers);
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

    /// <summary>Queues a claimed blob; <paramref name="buffer"/> is rented from <see cref="ArrayPool{T}.Shared"/> and returned by the pipeline.</summary>
    public ValueTask PostAsync(BlobId id, BlobType type, byte[] buffer, int length, CancellationToken ct) =>
        _jobs.Writer.WriteAsync(new Job(id, type, buffer, length), ct);

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
    }

    private async Task WorkAsync()
    {
        byte[] compressed = [];
        byte[] sealedBuffer = [];
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync())
            {
                try
                {
                    var plain = job.Buffer.AsSpan(0, job.Length);
                    var bound = Zstd.CompressBound(job.Length);
                    if (compressed.Length < bound)
                    {
                        compressed = new byte[bound];
                        sealedBuffer = new byte[bound + Crypto.MasterKey.Overhead + job.Length];
                    }

                    // The context is per thread and this loop may resume on another thread after each await.
                    var compressedLength = job.Length >= 64 ? _repository.Compressor.Compress(plain, compressed) : int.MaxValue;
                    var useCompressed = compressedLength < job.Length - (job.Length / 32);
                    var payload = useCompressed ? compressed.AsSpan(0, compressedLength) : plain;
                    var sealedLength = _repository.Key.Seal(payload, sealedBuffer);
                    Append(job.Id, job.Type, useCompressed, job.Length, sealedBuffer.AsSpan(0, sealedLength));
                    _statistics.AddNewBlob(job.Length, sealedLength);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(job.Buffer);
                }
            }
        }
        catch
        {
            _jobs.Writer.TryComplete();
            throw;
        }
    }

    private void Append(BlobId id, BlobType type, bool compressed, int rawLength, ReadOnlySpan<byte> sealedBlob)
    {
        PackWriter? full = null;
        lock (_packLock)
        {
            _current ??= new PackWriter(_repository.TempFolder);
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
