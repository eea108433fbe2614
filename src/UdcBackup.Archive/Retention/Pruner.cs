using UdcBackup.Archive.Format;
using UdcBackup.Archive.IO;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Retention;

/// <summary>
/// Removes data no snapshot references, under an exclusive lock (no writer runs meanwhile).
/// Used blobs are collected from every snapshot's trees; a pack with no used blob is deleted, a
/// pack with more than <see cref="RepackThreshold"/> of its bytes unused has its used blobs copied
/// (checked, still sealed) into new packs, others are kept whole. Crash-safe order: new packs,
/// then one new index file for everything kept, then the old index files, and only then the old
/// packs. An interruption leaves duplicates or unindexed packs, both harmless, never a dangling
/// reference. Packs in no index and temp files are leftovers of crashed writers and are removed.
/// Without space to repack, the packs to rewrite are kept whole and the rest goes on.
/// </summary>
public sealed class Pruner(ArchiveRepository repository)
{
    private const double RepackThreshold = 0.2;

    /// <summary>
    /// Prunes. Packs that there is no space to repack are kept whole
    /// (<see cref="PruneResult.PacksNotRepackedForSpace"/>). A repository without space for the new
    /// index fails with <see cref="ArchiveErrorCode.NoSpace"/> before anything is removed: every write
    /// comes before the first deletion, so the old index stays in use and no data is lost.
    /// </summary>
    public PruneResult Run(CancellationToken ct)
    {
        try
        {
            return Prune(ct);
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            throw DiskFull.InRepository(repository.Root, ex, "Prune stopped before removing anything: the old index stays in use and no data was lost (packs it had rewritten are in no index, and the next prune removes them). Free space there and prune again.");
        }
    }

    private PruneResult Prune(CancellationToken ct)
    {
        using var repositoryLock = repository.Lock(exclusive: true);
        var result = new PruneResult();
        var oldIndexFiles = repository.ListIndexFiles().ToList();
        var index = repository.ReloadIndex();
        if (index.DamagedFiles.Count > 0)
        {
            // Its packs would count as unindexed leftovers, and prune deletes those.
            throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"{index.DamagedFiles[0].Message}. Prune does not act on a partial index; run 'udc archive repair index' first. Nothing was removed.");
        }

        var unindexed = repository.ListPackFiles().Where(p => !index.ContainsPack(p)).ToList();
        var used = new HashSet<BlobId>();
        foreach (var snapshot in repository.ListSnapshots())
        {
            ct.ThrowIfCancellationRequested();
            foreach (var tree in snapshot.Tree)
            {
                used.Add(BlobId.Parse(tree));
            }

            foreach (var entry in SnapshotReader.ReadEntries(repository, snapshot))
            {
                foreach (var chunk in entry.Content)
                {
                    used.Add(chunk.Id);
                }
            }
        }

        var keep = new List<(BlobId, IReadOnlyList<PackedBlob>)>();
        var delete = new List<BlobId>();
        var repack = new List<(BlobId Pack, List<PackedBlob> Blobs)>();
        foreach (var (pack, blobs) in index.Packs)
        {
            // A blob counts as used only in the pack the index resolves it to; other copies are duplicates.
            var live = blobs.Where(b => used.Contains(b.Id) && index.TryGet(b.Id, out var at) && at.Pack == pack).ToList();
            var total = blobs.Sum(b => (long)b.Length);
            var liveBytes = live.Sum(b => (long)b.Length);
            if (live.Count == 0)
            {
                delete.Add(pack);
                result.BlobsRemoved += blobs.Count;
                result.BytesFreed += total;
            }
            else if (total - liveBytes > total * RepackThreshold)
            {
                repack.Add((pack, live));
                delete.Add(pack);
                result.BlobsRemoved += blobs.Count - live.Count;
                result.BytesFreed += total - liveBytes;
            }
            else
            {
                keep.Add((pack, blobs));
            }
        }

        try
        {
            keep.AddRange(Repack(repack, result, ct));
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            // A full repository is what a prune is often run to relieve: the packs it has no room to
            // rewrite are kept whole (their unused bytes wait for a prune with space), and the packs
            // nothing uses still go once the smaller new index is written.
            foreach (var (pack, live) in repack)
            {
                var blobs = index.Packs[pack];
                keep.Add((pack, blobs));
                delete.Remove(pack);
                result.BlobsRemoved -= blobs.Count - live.Count;
                result.BytesFreed -= blobs.Sum(b => (long)b.Length) - live.Sum(b => (long)b.Length);
            }

            result.PacksRepacked = 0;
            result.PacksWritten = 0;
            result.PacksNotRepackedForSpace = repack.Count;
        }
        if (delete.Count == 0 && unindexed.Count == 0 && oldIndexFiles.Count <= 1 && !Directory.EnumerateFiles(repository.TempFolder).Any())
        {
            return result;
        }

        repository.ReplaceIndex(keep, oldIndexFiles);

        foreach (var pack in delete.Concat(unindexed))
        {
            File.Delete(repository.PackPath(pack));
            result.PacksDeleted++;
        }

        foreach (var temp in Directory.EnumerateFiles(repository.TempFolder))
        {
            File.Delete(temp);
            result.TempFilesRemoved++;
        }

        repository.ReloadIndex();
        return result;
    }

    private List<(BlobId, IReadOnlyList<PackedBlob>)> Repack(List<(BlobId Pack, List<PackedBlob> Blobs)> repack, PruneResult result, CancellationToken ct)
    {
        var written = new List<(BlobId, IReadOnlyList<PackedBlob>)>();
        PackWriter? writer = null;
        try
        {
            foreach (var (pack, blobs) in repack)
            {
                ct.ThrowIfCancellationRequested();
                result.PacksRepacked++;
                var bytes = File.ReadAllBytes(repository.PackPath(pack));
                foreach (var blob in blobs)
                {
                    var sealedBytes = bytes.AsSpan((int)blob.Offset, (int)blob.Length);
                    repository.DecodeBlob(blob, sealedBytes, pack); // never carry damage into a new pack
                    writer ??= new PackWriter(repository.TempFolder, repository.Config.NamesPacksByTrailer);
                    writer.Add(blob.Id, blob.Type, blob.Compressed, (int)blob.RawLength, sealedBytes);
                    if (writer.Length >= repository.Config.PackSize)
                    {
                        written.Add((writer.Finish(repository.DataFolder, repository.Key), writer.Blobs.ToArray()));
                        writer.Dispose();
                        writer = null;
                    }
                }
            }

            if (writer is { Count: > 0 })
            {
                written.Add((writer.Finish(repository.DataFolder, repository.Key), writer.Blobs.ToArray()));
            }
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            // No index lists them yet, so nothing can refer to them: their space goes back at once.
            foreach (var (pack, _) in written)
            {
                File.Delete(repository.PackPath(pack));
            }

            throw;
        }
        finally
        {
            writer?.Dispose();
        }

        result.PacksWritten = written.Count;
        return written;
    }
}
