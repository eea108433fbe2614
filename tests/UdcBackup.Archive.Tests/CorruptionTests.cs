using UdcBackup.Archive.Format;
using UdcBackup.Archive.Verify;

namespace UdcBackup.Archive.Tests;

/// <summary>Damaged packs are found by verify and never turn into wrong bytes on restore.</summary>
public sealed class CorruptionTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_flipped_bit_in_a_chunk_is_reported_with_its_file_and_restore_refuses_that_file()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "victim.bin"), SourceTree.Random(3_000_000, 1));
        SourceTree.WriteFile(Path.Join(_repo.Source, "healthy.txt"), SourceTree.Text(50_000, 2));
        var snapshot = await _repo.BackupAsync();
        var victimChunk = VictimChunk(snapshot, "victim.bin");

        FlipBit(victimChunk, new Random(7));

        using (var repository = _repo.Open())
        {
            var structural = new Verifier(repository).Run(readData: false, CancellationToken.None);
            structural.IsClean.Should().BeTrue("a flipped bit inside a blob does not break the structure");
            var report = new Verifier(repository).Run(readData: true, CancellationToken.None);
            report.IsClean.Should().BeFalse();
            var damaged = report.DamagedBlobs.Should().ContainSingle().Subject;
            damaged.Id.Should().Be(victimChunk.Blob.Id);
            damaged.AffectedFiles.Should().ContainSingle().Which.Should().EndWith("/victim.bin");
        }

        var act = () => _repo.RestoreAsync(snapshot);
        var error = (await act.Should().ThrowAsync<ArchiveException>()).Which;
        error.Code.Should().Be(ArchiveErrorCode.DamagedRepository);
        error.AffectedPaths.Should().ContainSingle().Which.Should().Contain("victim.bin");
        error.Message.Should().Contain("victim.bin");
        var restoredFiles = Directory.GetFiles(_repo.Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => f.Contains("/restore-", StringComparison.Ordinal)).ToList();
        restoredFiles.Should().ContainSingle("only the healthy file is written, no partial or wrong victim")
            .Which.Should().EndWith("healthy.txt");
        File.ReadAllBytes(restoredFiles[0]).Should().Equal(File.ReadAllBytes(Path.Join(_repo.Source, "healthy.txt")));
    }

    [Fact]
    public async Task Random_bit_flips_anywhere_in_packs_are_always_detected()
    {
        for (var i = 0; i < 4; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"f{i}.bin"), SourceTree.Random(400_000 + (i * 1000), i));
        }

        await _repo.BackupAsync();
        var random = new Random(42);
        using var repository = _repo.Open();
        var packs = repository.ListPackFiles().Select(repository.PackPath).ToList();
        foreach (var pack in packs)
        {
            var bytes = File.ReadAllBytes(pack);
            var offset = random.Next(bytes.Length);
            bytes[offset] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(pack, bytes);
        }

        var report = new Verifier(repository).Run(readData: true, CancellationToken.None);

        report.IsClean.Should().BeFalse();
        (report.Errors.Count + report.DamagedBlobs.Count).Should().BeGreaterThanOrEqualTo(packs.Count);
    }

    [Fact]
    public async Task A_truncated_snapshot_file_is_an_error_of_verify_while_the_other_snapshots_are_still_listed_and_checked()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.txt"), SourceTree.Text(20_000, 1));
        var kept = await _repo.BackupAsync();
        SourceTree.WriteFile(Path.Join(_repo.Source, "b.txt"), SourceTree.Text(20_000, 2));
        var truncated = await _repo.BackupAsync();
        var file = Path.Join(_repo.RepositoryPath, "snapshots", truncated.Id.ToString());
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..20]);

        using var repository = _repo.Open();
        var damaged = new List<Snapshots.DamagedSnapshot>();
        repository.ListSnapshots(damaged).Select(s => s.Id).Should().Equal(kept.Id);
        damaged.Should().ContainSingle().Which.File.Should().Be(truncated.Id.ToString());
        repository.FindSnapshot("latest").Id.Should().Be(kept.Id, "latest is the newest readable snapshot");
        var strict = () => repository.ListSnapshots();
        strict.Should().Throw<ArchiveException>("forget and prune must not act on a partial view")
            .Which.Code.Should().Be(ArchiveErrorCode.DamagedRepository);

        var report = new Verifier(repository).Run(readData: true, CancellationToken.None);

        report.IsClean.Should().BeFalse();
        report.Errors.Should().ContainSingle().Which.Should().Contain(truncated.Id.ToString());
        report.Snapshots.Should().Be(1, "the readable snapshot is still checked");
    }

    private (BlobId Pack, PackedBlob Blob) VictimChunk(Snapshots.Snapshot snapshot, string name)
    {
        using var repository = _repo.Open();
        var entry = Snapshots.SnapshotReader.ReadEntries(repository, snapshot).Single(e => e.Path.EndsWith(name, StringComparison.Ordinal));
        repository.Index.TryGet(entry.Content[0].Id, out var location).Should().BeTrue();
        return (location.Pack, location.Blob);
    }

    private void FlipBit((BlobId Pack, PackedBlob Blob) chunk, Random random)
    {
        using var repository = _repo.Open();
        var path = repository.PackPath(chunk.Pack);
        var bytes = File.ReadAllBytes(path);
        var offset = (int)chunk.Blob.Offset + random.Next((int)chunk.Blob.Length);
        bytes[offset] ^= (byte)(1 << random.Next(8));
        File.WriteAllBytes(path, bytes);
    }
}
