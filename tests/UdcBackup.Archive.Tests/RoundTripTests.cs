using UdcBackup.Archive.Native;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Tests;

/// <summary>Backup then restore must give back every byte and every piece of metadata.</summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_file_ending_in_long_runs_of_zeros_is_stored_whole()
    {
        // A PostgreSQL WAL segment: a little data, then zeros up to 16 MiB (written, not a hole).
        // Maximum-size chunks of zeros once ended exactly at the end of the read window, which was
        // taken for the end of the file: the segment was stored as 8 MiB.
        var segment = new byte[16 << 20];
        SourceTree.Random(70_000, 9).CopyTo(segment, 0);
        SourceTree.WriteFile(Path.Join(_repo.Source, "pg_wal", "000000010000000000000002"), segment);

        var snapshot = await _repo.BackupAsync();
        var (target, result) = await _repo.RestoreAsync(snapshot);

        snapshot.Summary.Warnings.Should().BeEmpty();
        result.DamagedFiles.Should().BeEmpty();
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target), compareOwner: SourceTree.IsRoot);
    }

    [Fact]
    public async Task Every_kind_of_entry_comes_back_byte_and_metadata_exact()
    {
        var s = _repo.Source;
        SourceTree.WriteFile(Path.Join(s, "empty"), [], 1_600_000_000_123_456_789);
        SourceTree.WriteFile(Path.Join(s, "Grüße 日本 ✓.txt"), SourceTree.Text(5000, 1));
        SourceTree.WriteFile(Path.Join(s, "line\nbreak\tname"), SourceTree.Text(100, 2));
        SourceTree.WriteFile(Path.Join(s, " leading and trailing "), [1, 2, 3]);
        SourceTree.WriteFile(Path.Join(s, ".hidden"), [4]);
        var deep = s;
        for (var i = 0; i < 12; i++)
        {
            deep = Path.Join(deep, new string((char)('a' + i), 200));
        }

        SourceTree.WriteFile(Path.Join(deep, new string('z', 250)), SourceTree.Random(3000, 3));
        SourceTree.WriteFile(Path.Join(s, "big", "random.bin"), SourceTree.Random(5_000_000, 4));
        SourceTree.WriteFile(Path.Join(s, "big", "text.log"), SourceTree.Text(3_000_000, 5));
        SourceTree.WriteFile(Path.Join(s, "big", "copy.bin"), SourceTree.Random(5_000_000, 4));
        File.CreateSymbolicLink(Path.Join(s, "dangling"), "../does/not/exist");
        File.CreateSymbolicLink(Path.Join(s, "to-big"), "big");
        SourceTree.WriteFile(Path.Join(s, "links", "a"), SourceTree.Text(7000, 6));
        LinuxFileSystem.Link(Path.Join(s, "links", "a"), Path.Join(s, "links", "b"));
        LinuxFileSystem.Link(Path.Join(s, "links", "a"), Path.Join(s, "c-link"));
        SourceTree.WriteSparse(Path.Join(s, "sparse.img"), 64L << 20, (0, SourceTree.Random(4096, 7)), (40L << 20, SourceTree.Random(100_000, 8)));
        LinuxFileSystem.MakeFifo(Path.Join(s, "pipe"), 0x1A4);
        LinuxFileSystem.SetMode(Path.Join(s, "big", "random.bin"), 0x1E0); // 0740
        LinuxFileSystem.SetMode(Path.Join(s, "empty"), 0x180); // 0600
        Directory.CreateDirectory(Path.Join(s, "setgid-dir"));
        LinuxFileSystem.SetMode(Path.Join(s, "setgid-dir"), 0x5ED); // 2755
        SourceTree.SetXattr(Path.Join(s, "big", "text.log"), "user.origin", "system-42");
        SourceTree.SetXattr(Path.Join(s, "setgid-dir"), "user.tier", "db");
        if (SourceTree.IsRoot)
        {
            LinuxFileSystem.SetOwner(Path.Join(s, "empty"), 1234, 5678);
            LinuxFileSystem.SetOwner(Path.Join(s, "dangling"), 4321, 8765);
        }

        LinuxFileSystem.SetTimes(Path.Join(s, "big"), 1_500_000_000_000_000_001);
        LinuxFileSystem.SetTimes(Path.Join(s, "dangling"), 1_400_000_000_999_999_999);

        var snapshot = await _repo.BackupAsync();
        var (target, result) = await _repo.RestoreAsync(snapshot);

        result.DamagedFiles.Should().BeEmpty();
        TreeComparer.AssertIdentical(s, _repo.RestoredSource(target), compareOwner: SourceTree.IsRoot);
        snapshot.Summary.Warnings.Should().BeEmpty();
    }

    [Fact]
    public async Task A_sparse_file_larger_than_4_GiB_is_stored_and_restored_with_its_holes()
    {
        var path = Path.Join(_repo.Source, "disk.img");
        SourceTree.WriteSparse(path, (5L << 30) + 12345, (0, SourceTree.Random(1000, 1)), ((4L << 30) + 7, SourceTree.Random(2_000_000, 2)), ((5L << 30) + 10000, SourceTree.Random(2345, 3)));

        var snapshot = await _repo.BackupAsync();
        var (target, _) = await _repo.RestoreAsync(snapshot);

        var restored = Path.Join(_repo.RestoredSource(target), "disk.img");
        LinuxFileSystem.Stat(restored).Size.Should().Be((5L << 30) + 12345);
        LinuxFileSystem.Stat(restored).Blocks.Should().BeLessThan(64 << 11, "holes stay holes (under 64 MiB allocated)");
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
        using var repository = _repo.Open();
        var entry = SnapshotReader.ReadEntries(repository, snapshot).Single(e => e.Path.EndsWith("disk.img", StringComparison.Ordinal));
        entry.Sparse.Should().BeTrue();
    }

    [Fact]
    public async Task Snapshots_list_their_tags_and_entries()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.txt"), SourceTree.Text(100, 1));
        var snapshot = await _repo.BackupAsync(tags: new Dictionary<string, string> { ["system"] = "db-01", ["tier"] = "db" });

        using var repository = _repo.Open();
        var listed = repository.ListSnapshots().Should().ContainSingle().Subject;
        listed.Id.Should().Be(snapshot.Id);
        listed.Tags.Should().Contain("system", "db-01").And.Contain("tier", "db");
        listed.Kind.Should().Be("full");
        SnapshotReader.ReadEntries(repository, listed).Select(e => e.Path)
            .Should().Contain(_repo.Source.TrimStart('/') + "/a.txt");
    }
}
