using System.Security.Cryptography;
using System.Text.Json.Nodes;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Verify;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// Format 3 (format 2 with BLAKE3 blob ids) is what new repositories get; format 2 (blob ids bound
/// as GCM associated data, packs named by their trailer) and format 1 repositories keep reading and
/// writing their own format. In each a blob that is not the one indexed under its id never reaches
/// a restored file.
/// </summary>
public sealed class FormatVersionTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_new_repository_is_format_3_names_blobs_by_BLAKE3_packs_by_their_trailer_and_round_trips()
    {
        WriteSource();

        var snapshot = await _repo.BackupAsync();

        ConfigVersion().Should().Be(3);
        using (var repository = _repo.Open())
        {
            BlobIdsOfFile(repository, snapshot, "random.bin").Should().Equal(ChunkIds(repository, "random.bin", BlobId.HashBlake3));
            var packs = repository.ListPackFiles().ToList();
            packs.Should().NotBeEmpty();
            foreach (var pack in packs)
            {
                var path = repository.PackPath(pack);
                PackFile.IdOfTrailer(PackFile.ReadTrailer(path)).Should().Be(pack, "format 2 names a pack by its trailer");
                BlobId.Hash(File.ReadAllBytes(path)).Should().NotBe(pack);
            }

            new Verifier(repository).Run(readData: true, CancellationToken.None).IsClean.Should().BeTrue();
        }

        var (target, _) = await _repo.RestoreAsync(snapshot);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
    }

    [Fact]
    public async Task A_format_2_repository_keeps_SHA_256_blob_ids_and_restores()
    {
        SetConfigVersion(2);
        WriteSource();

        var snapshot = await _repo.BackupAsync();
        File.WriteAllBytes(Path.Join(_repo.Source, "later.bin"), SourceTree.Random(300_000, 9));
        var second = await _repo.BackupAsync();

        ConfigVersion().Should().Be(2);
        using (var repository = _repo.Open())
        {
            BlobIdsOfFile(repository, second, "random.bin").Should().Equal(ChunkIds(repository, "random.bin", BlobId.Hash));
            BlobIdsOfFile(repository, second, "later.bin").Should().Equal(BlobId.Hash(File.ReadAllBytes(Path.Join(_repo.Source, "later.bin"))));
            BlobIdsOfFile(repository, second, "random.bin").Should().Equal(BlobIdsOfFile(repository, snapshot, "random.bin"), "the second backup deduplicates against the first");
            new Verifier(repository).Run(readData: true, CancellationToken.None).IsClean.Should().BeTrue();
        }

        var (target, _) = await _repo.RestoreAsync(second);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
    }

    [Fact]
    public async Task A_format_1_repository_keeps_writing_format_1_and_restores()
    {
        SetConfigVersion(1);
        WriteSource();

        var first = await _repo.BackupAsync();
        File.WriteAllBytes(Path.Join(_repo.Source, "later.bin"), SourceTree.Random(300_000, 9));
        var second = await _repo.BackupAsync();

        ConfigVersion().Should().Be(1);
        using (var repository = _repo.Open())
        {
            var packs = repository.ListPackFiles().ToList();
            packs.Should().HaveCountGreaterThan(1, "both backups wrote a pack");
            foreach (var pack in packs)
            {
                BlobId.Hash(File.ReadAllBytes(repository.PackPath(pack))).Should().Be(pack, "format 1 names a pack by the whole file");
            }

            new Verifier(repository).Run(readData: true, CancellationToken.None).IsClean.Should().BeTrue();
        }

        var (target, _) = await _repo.RestoreAsync(second);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
        var (older, _) = await _repo.RestoreAsync(first);
        File.Exists(Path.Join(_repo.RestoredSource(older), "later.bin")).Should().BeFalse();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_sealed_blob_swapped_for_another_of_the_same_length_is_refused_on_restore(int version)
    {
        // Two single-chunk files of random data: stored raw, so their sealed blobs have equal
        // lengths and each authenticates on its own. Swapping them in the pack is damage only the
        // blob id can reveal: format 1 by the hash check, format 2 by the associated data.
        SetConfigVersion(version);
        File.WriteAllBytes(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(100_000, 1));
        File.WriteAllBytes(Path.Join(_repo.Source, "b.bin"), SourceTree.Random(100_000, 2));
        File.WriteAllBytes(Path.Join(_repo.Source, "c.txt"), SourceTree.Text(20_000, 3));
        var snapshot = await _repo.BackupAsync();
        SwapBlobs(snapshot, "a.bin", "b.bin");

        var act = () => _repo.RestoreAsync(snapshot);

        var error = (await act.Should().ThrowAsync<ArchiveException>()).Which;
        error.Code.Should().Be(ArchiveErrorCode.DamagedRepository);
        var reason = version == 1 ? "does not match its hash" : "fails authentication";
        error.AffectedPaths.Should().HaveCount(2).And.OnlyContain(p => p.Contains(reason, StringComparison.Ordinal))
            .And.Contain(p => p.Contains("/a.bin: ", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("/b.bin: ", StringComparison.Ordinal));
        using var repository = _repo.Open();
        var report = new Verifier(repository).Run(readData: true, CancellationToken.None);
        report.DamagedBlobs.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_format_2_pack_under_a_wrong_name_is_reported_without_reading_its_data()
    {
        WriteSource();
        await _repo.BackupAsync();
        using var repository = _repo.Open();
        var pack = repository.ListPackFiles().First();
        var trailer = PackFile.ReadTrailer(repository.PackPath(pack));
        trailer[RandomNumberGenerator.GetInt32(trailer.Length - 4)] ^= 0x10; // the sealed header, not its length
        var path = repository.PackPath(pack);
        var bytes = File.ReadAllBytes(path);
        trailer.CopyTo(bytes, bytes.Length - trailer.Length);
        File.WriteAllBytes(path, bytes);

        var report = new Verifier(repository).Run(readData: false, CancellationToken.None);

        report.IsClean.Should().BeFalse();
        report.Errors.Should().Contain(e => e.Contains(pack.ShortHex, StringComparison.Ordinal) && e.Contains("does not match its name", StringComparison.Ordinal));
    }

    private void WriteSource()
    {
        File.WriteAllBytes(Path.Join(_repo.Source, "random.bin"), SourceTree.Random(700_000, 4));
        File.WriteAllBytes(Path.Join(_repo.Source, "text.txt"), SourceTree.Text(900_000, 5));
        Directory.CreateDirectory(Path.Join(_repo.Source, "sub"));
        File.WriteAllBytes(Path.Join(_repo.Source, "sub", "small.txt"), SourceTree.Text(100, 6));
    }

    private static List<BlobId> BlobIdsOfFile(ArchiveRepository repository, Snapshots.Snapshot snapshot, string name) =>
        Snapshots.SnapshotReader.ReadEntries(repository, snapshot).Single(e => e.Path.EndsWith("/" + name, StringComparison.Ordinal)).Content.Select(c => c.Id).ToList();

    /// <summary>The ids of the source file's chunks, cut as the repository cuts them and hashed with <paramref name="hash"/>.</summary>
    private List<BlobId> ChunkIds(ArchiveRepository repository, string name, Func<ReadOnlySpan<byte>, BlobId> hash)
    {
        var config = repository.Config;
        var ids = ChunkCuts.Of(File.ReadAllBytes(Path.Join(_repo.Source, name)), new Chunking.FastCdcChunker(config.ChunkMin, config.ChunkAverage, config.ChunkMax), hash).Select(cut => cut.Id).ToList();
        ids.Should().HaveCountGreaterThan(1, "the file must be cut into more than one chunk");
        return ids;
    }

    private string ConfigPath => Path.Join(_repo.RepositoryPath, "config");

    private int ConfigVersion() => JsonNode.Parse(File.ReadAllText(ConfigPath))!["version"]!.GetValue<int>();

    /// <summary>A format-1 repository is one whose config says so: writers follow the config.</summary>
    private void SetConfigVersion(int version)
    {
        var config = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        config["version"] = version;
        File.WriteAllText(ConfigPath, config.ToJsonString());
    }

    private void SwapBlobs(Snapshots.Snapshot snapshot, string first, string second)
    {
        using var repository = _repo.Open();
        var entries = Snapshots.SnapshotReader.ReadEntries(repository, snapshot);
        (BlobId Pack, PackedBlob Blob) Locate(string name)
        {
            var entry = entries.Single(e => e.Path.EndsWith("/" + name, StringComparison.Ordinal));
            entry.Content.Should().ContainSingle();
            repository.Index.TryGet(entry.Content[0].Id, out var location).Should().BeTrue();
            return (location.Pack, location.Blob);
        }

        var a = Locate(first);
        var b = Locate(second);
        a.Pack.Should().Be(b.Pack);
        a.Blob.Length.Should().Be(b.Blob.Length);
        var path = repository.PackPath(a.Pack);
        var bytes = File.ReadAllBytes(path);
        var blobA = bytes.AsSpan((int)a.Blob.Offset, (int)a.Blob.Length).ToArray();
        bytes.AsSpan((int)b.Blob.Offset, (int)b.Blob.Length).CopyTo(bytes.AsSpan((int)a.Blob.Offset));
        blobA.CopyTo(bytes, (int)b.Blob.Offset);
        File.WriteAllBytes(path, bytes);
    }
}
