using System.Security.Cryptography;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Verify;

/// <summary>
/// Checks a repository without changing it. Structure: every index file decrypts (a damaged one is
/// an error, and the packs only it listed are checked from their own headers); every indexed
/// pack exists and its own header lists the same blobs at the same offsets; every snapshot's tree
/// decodes and every chunk it names is indexed. With <c>readData</c>: every pack is read whole, its
/// SHA-256 must equal its name, and every blob must authenticate, decompress and hash to its id.
/// Damaged blobs are mapped back to the snapshot files that use them. Packs in no index file are
/// reported as notes (an interrupted backup's uploads, reused by the next backup), not as errors.
/// </summary>
public sealed class Verifier(ArchiveRepository repository)
{
    public long PacksTotal { get; private set; }

    public long PacksDone => Interlocked.Read(ref _packsDone);

    private long _packsDone;

    public VerifyReport Run(bool readData, CancellationToken ct)
    {
        var report = new VerifyReport { DataRead = readData };
        using var repositoryLock = TryLock(report);
        var index = repository.ReloadIndex();
        report.Errors.AddRange(index.DamagedFiles.Select(d => $"{d.Message} (the packs only it listed were checked from their own headers; 'udc archive repair index' rewrites the index)"));
        report.IndexFiles = repository.ListIndexFiles().Count();
        report.Packs = index.PackCount;
        report.Blobs = index.BlobCount;
        PacksTotal = index.PackCount;
        var damaged = new Dictionary<BlobId, VerifyReport.DamagedBlob>();
        CheckPacks(index, readData, report, damaged, ct);
        foreach (var pack in repository.ListPackFiles().Where(p => !index.ContainsPack(p)))
        {
            report.Notes.Add($"pack {pack.ShortHex} is in no index (left by an interrupted backup; the next backup reuses it, prune removes it)");
        }

        CheckSnapshots(index, report, damaged, ct);
        report.DamagedBlobs.AddRange(damaged.Values);
        return report;
    }

    // On a read-only file system no lock can be made, and none is needed: nobody can change the
    // repository while it is checked. Any other failure to lock stops the check.
    private RepositoryLock? TryLock(VerifyReport report)
    {
        try
        {
            return repository.Lock(exclusive: false);
        }
        catch (ArchiveException ex) when (ex.Code == ArchiveErrorCode.ReadOnlyRepository)
        {
            report.Notes.Add("the repository is on a read-only file system: nobody can write to it, so it is checked without a lock");
            return null;
        }
    }

    private void CheckPacks(BlobIndex index, bool readData, VerifyReport report, Dictionary<BlobId, VerifyReport.DamagedBlob> damaged, CancellationToken ct)
    {
        var errors = new List<string>();
        Parallel.ForEach(
            index.Packs,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            pair =>
            {
                var (pack, blobs) = (pair.Key, pair.Value);
                var problems = CheckPack(pack, blobs, readData, out var bytesRead);
                lock (report)
                {
                    report.BytesRead += bytesRead;
                    foreach (var (blob, reason) in problems)
                    {
                        if (blob is { } id)
                        {
                            damaged.TryAdd(id, new VerifyReport.DamagedBlob(id, pack, reason));
                        }
                        else
                        {
                            errors.Add(reason);
                        }
                    }
                }

                Interlocked.Increment(ref _packsDone);
            });
        report.Errors.AddRange(errors.Order(StringComparer.Ordinal));
    }

    private List<(BlobId? Blob, string Reason)> CheckPack(BlobId pack, IReadOnlyList<PackedBlob> indexed, bool readData, out long bytesRead)
    {
        bytesRead = 0;
        var problems = new List<(BlobId?, string)>();
        var path = repository.PackPath(pack);
        if (!File.Exists(path))
        {
            problems.Add((null, $"pack {pack.ShortHex} is missing"));
            problems.AddRange(indexed.Select(b => ((BlobId?)b.Id, $"pack {pack.ShortHex} is missing")));
            return problems;
        }

        try
        {
            // Format 2 names a pack by its trailer, which is cheap to check even without --read-data.
            if (repository.Config.NamesPacksByTrailer && PackFile.IdOfTrailer(PackFile.ReadTrailer(path)) != pack)
            {
                problems.Add((null, $"pack {pack.ShortHex}: its trailer does not match its name (damaged or renamed)"));
            }

            var header = PackFile.ReadHeader(path, repository.Key);
            if (!header.OrderBy(b => b.Offset).SequenceEqual(indexed.OrderBy(b => b.Offset)))
            {
                problems.Add((null, $"pack {pack.ShortHex}: its header and the index disagree"));
            }
        }
        catch (InvalidDataException ex)
        {
            problems.Add((null, ex.Message));
        }

        if (!readData)
        {
            return problems;
        }

        var bytes = File.ReadAllBytes(path);
        bytesRead = bytes.Length;
        if (!repository.Config.NamesPacksByTrailer && BlobId.Hash(bytes) != pack)
        {
            problems.Add((null, $"pack {pack.ShortHex}: content does not match its name (damaged)"));
        }

        foreach (var blob in indexed)
        {
            if ((long)blob.Offset + blob.Length > bytes.Length)
            {
                problems.Add((blob.Id, $"blob {blob.Id.ShortHex} lies beyond the end of pack {pack.ShortHex}"));
                continue;
            }

            try
            {
                repository.DecodeBlob(blob, bytes.AsSpan((int)blob.Offset, (int)blob.Length), pack);
            }
            catch (Exception ex) when (ex is InvalidDataException or CryptographicException)
            {
                problems.Add((blob.Id, ex.Message));
            }
        }

        return problems;
    }

    private void CheckSnapshots(BlobIndex index, VerifyReport report, Dictionary<BlobId, VerifyReport.DamagedBlob> damaged, CancellationToken ct)
    {
        // A damaged manifest is an error of its own; the readable snapshots are still checked.
        var unreadable = new List<DamagedSnapshot>();
        var snapshots = repository.ListSnapshots(unreadable);
        report.Errors.AddRange(unreadable.Select(d => d.Message));
        report.Snapshots = snapshots.Count;
        foreach (var snapshot in snapshots)
        {
            ct.ThrowIfCancellationRequested();
            List<ArchiveEntry> entries;
            try
            {
                entries = SnapshotReader.ReadEntries(repository, snapshot);
            }
            catch (ArchiveException ex)
            {
                report.Errors.Add(ex.Message);
                continue;
            }

            foreach (var entry in entries)
            {
                foreach (var chunk in entry.Content)
                {
                    if (damaged.TryGetValue(chunk.Id, out var bad))
                    {
                        var file = $"{snapshot.ShortId}:{entry.Path}";
                        if (bad.AffectedFiles.Count == 0 || bad.AffectedFiles[^1] != file)
                        {
                            bad.AffectedFiles.Add(file);
                        }
                    }
                    else if (!index.Contains(chunk.Id))
                    {
                        report.Errors.Add($"snapshot {snapshot.ShortId}: '{entry.Path}' needs chunk {chunk.Id.ShortHex}, which is in no pack");
                    }
                }
            }
        }
    }
}
