using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// A file of more than 32 chunks is restored in pieces by several workers at once; it must still
/// come out byte-exact with its holes, and a damaged chunk in any piece must keep the whole file out.
/// </summary>
public sealed class LargeFileRestoreTests : IDisposable
{
    private const int MiB = 1 << 20;
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_large_file_written_in_pieces_is_byte_exact_and_keeps_its_holes()
    {
        SourceTree.WriteSparse(
            Path.Join(_repo.Source, "vm", "disk.img"),
            96L * MiB,
            (0, SourceTree.Random(16 * MiB, 1)),
            (40L * MiB, SourceTree.Text(16 * MiB, 2)),
            (70L * MiB, SourceTree.Random(14 * MiB, 3)));
        SourceTree.WriteFile(Path.Join(_repo.Source, "vm", "dense.bin"), SourceTree.Random(12 * MiB, 4));
        SourceTree.WriteFile(Path.Join(_repo.Source, "vm", "small.txt"), SourceTree.Text(3_000, 5));
        var snapshot = await _repo.BackupAsync();
        ChunkCount(snapshot, "disk.img").Should().BeGreaterThan(64, "the file must span several pieces of 32 chunks");

        var (target, result) = await _repo.RestoreAsync(snapshot);

        result.FilesRestored.Should().Be(3);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
        Directory.GetFiles(target, "*.partial", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task A_damaged_chunk_in_a_later_piece_keeps_the_whole_file_out_and_names_it()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "big.bin"), SourceTree.Random(40 * MiB, 6));
        SourceTree.WriteFile(Path.Join(_repo.Source, "healthy.txt"), SourceTree.Text(50_000, 7));
        var snapshot = await _repo.BackupAsync();
        using (var repository = _repo.Open())
        {
            var entry = SnapshotReader.ReadEntries(repository, snapshot).Single(e => e.Path.EndsWith("/big.bin", StringComparison.Ordinal));
            entry.Content.Count.Should().BeGreaterThan(40, "the damaged chunk must lie in a later piece");
            repository.Index.TryGet(entry.Content[entry.Content.Count - 2].Id, out var location).Should().BeTrue();
            var path = repository.PackPath(location.Pack);
            var bytes = File.ReadAllBytes(path);
            bytes[(int)location.Blob.Offset + ((int)location.Blob.Length / 2)] ^= 0x10;
            File.WriteAllBytes(path, bytes);
        }

        var target = Path.Join(_repo.Root, "restore-damaged");
        var act = () => _repo.RestoreAsync(snapshot, target);

        var error = (await act.Should().ThrowAsync<ArchiveException>()).Which;
        error.Code.Should().Be(ArchiveErrorCode.DamagedRepository);
        error.AffectedPaths.Should().ContainSingle().Which.Should().Contain("big.bin");
        Directory.GetFiles(target, "*", SearchOption.AllDirectories).Should().ContainSingle("no partial or wrong big.bin is left")
            .Which.Should().EndWith("healthy.txt");
    }

    private int ChunkCount(Snapshot snapshot, string name)
    {
        using var repository = _repo.Open();
        return SnapshotReader.ReadEntries(repository, snapshot).Single(e => e.Path.EndsWith(name, StringComparison.Ordinal)).Content.Count;
    }
}
