using UdcBackup.Archive.Format;
using UdcBackup.Archive.IO;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Archive.Repair;

/// <summary>
/// Rebuilds the repository index from the packs, under an exclusive lock (no writer runs meanwhile).
/// Every pack describes itself in its sealed header, so the header of each pack in <c>data/</c> is
/// read and one new index file lists every pack whose header opens. A pack whose header cannot be
/// read, or one a readable index lists that is missing, keeps the entries a readable index file
/// had for it (nothing that located a blob before is lost) and is reported; its file stays. Crash-safe
/// order: the new index is written and flushed before any old index file is deleted, so an
/// interruption leaves the old files beside the new one, and readers merge them.
/// </summary>
public sealed class IndexRepair(ArchiveRepository repository)
{
    private long _packsDone;

    public long PacksTotal { get; private set; }

    public long PacksDone => Interlocked.Read(ref _packsDone);

    /// <summary>
    /// Rebuilds the index. A repository without space for the new index file fails with
    /// <see cref="ArchiveErrorCode.NoSpace"/> and leaves the old index files as they were.
    /// </summary>
    public IndexRepairResult Run(CancellationToken ct)
    {
        try
        {
            return Repair(ct);
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            throw DiskFull.InRepository(repository.Root, ex, "The index was not rewritten: the old index files stay as they were. Free space there and run the repair again.");
        }
    }

    private IndexRepairResult Repair(CancellationToken ct)
    {
        using var repositoryLock = repository.Lock(exclusive: true);
        var result = new IndexRepairResult();
        var oldIndexFiles = repository.ListIndexFiles().ToList();
        var old = repository.ReloadIndex();
        var packs = repository.ListPackFiles().Union(old.Packs.Keys).ToList();
        PacksTotal = packs.Count;
        var headers = new (IReadOnlyList<PackedBlob>? Blobs, string? Problem)[packs.Count];
        Parallel.For(
            0,
            packs.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            i =>
            {
                headers[i] = ReadHeader(packs[i]);
                Interlocked.Increment(ref _packsDone);
            });

        var listed = new List<(BlobId, IReadOnlyList<PackedBlob>)>();
        for (var i = 0; i < packs.Count; i++)
        {
            var (blobs, problem) = headers[i];
            if (blobs is not null)
            {
                listed.Add((packs[i], blobs));
                result.Packs++;
                result.Blobs += blobs.Count;
                continue;
            }

            // An adopted pack's header opened, so a listing found here came from a readable index file.
            var kept = old.Packs.TryGetValue(packs[i], out var fromIndex);
            if (kept)
            {
                listed.Add((packs[i], fromIndex!));
            }

            result.DamagedPacks.Add(new IndexRepairResult.DamagedPack(packs[i], problem!, kept));
        }

        ct.ThrowIfCancellationRequested();
        result.IndexFile = repository.ReplaceIndex(listed, oldIndexFiles);
        result.RemovedIndexFiles.AddRange(oldIndexFiles.Select(Path.GetFileName).OfType<string>());
        repository.ReloadIndex();
        return result;
    }

    private (IReadOnlyList<PackedBlob>? Blobs, string? Problem) ReadHeader(BlobId pack)
    {
        var path = repository.PackPath(pack);
        if (!File.Exists(path))
        {
            return (null, $"pack {pack} is listed by the index but missing from data/");
        }

        try
        {
            return (PackFile.ReadHeader(path, repository.Key), null);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return (null, $"{ex.Message}; the pack stays in data/, not indexed from its header");
        }
    }
}
