using UdcBackup.Archive.Native;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// A backup with a parent copies the parent's records of unchanged entries as they are; every
/// kind of change must still reach the new snapshot, which must equal a full re-read.
/// </summary>
public sealed class ParentReuseTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public ParentReuseTests()
    {
        for (var i = 0; i < 40; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"d{i % 4}", $"e{i % 2}", $"f{i}.txt"), SourceTree.Text(3_000 + i, i));
        }

        SourceTree.WriteFile(Path.Join(_repo.Source, "a", "b", "c", "d", "deep.bin"), SourceTree.Random(40_000, 7));
        File.CreateSymbolicLink(Path.Join(_repo.Source, "a", "link"), "b/c");
    }

    private string Deep => Path.Join(_repo.Source, "a", "b", "c", "d", "deep.bin");

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_no_change_backup_copies_every_entry_and_equals_a_full_read()
    {
        LinuxFileSystem.WriteXattr(Path.Join(_repo.Source, "d1"), "user.note", [1, 2, 3]);
        var first = await _repo.BackupAsync();
        var second = await _repo.BackupAsync();

        second.Summary.FilesRead.Should().Be(0);
        SourceEntries(second).Should().BeEquivalentTo(SourceEntries(first), o => o.WithStrictOrdering());
        await AssertEqualsFullReadAsync(second);
        SourceEntries(second).Single(e => e.Path.EndsWith("/d1", StringComparison.Ordinal)).Xattrs.Should().ContainKey("user.note");
    }

    [Fact]
    public async Task A_changed_file_deep_down_is_read_even_with_its_old_size_and_mtime()
    {
        var first = await _repo.BackupAsync();
        var before = LinuxFileSystem.Stat(Deep);
        var changed = SourceTree.Random(40_000, 8);
        File.WriteAllBytes(Deep, changed);
        LinuxFileSystem.SetTimes(Deep, before.ModifiedNs); // only the ctime (and the content) tell

        var second = await _repo.BackupAsync();

        second.Summary.FilesRead.Should().Be(1);
        Entry(second, Deep).Content.Should().NotEqual(Entry(first, Deep).Content);
        await AssertEqualsFullReadAsync(second);
        var (target, _) = await _repo.RestoreAsync(second);
        File.ReadAllBytes(Path.Join(_repo.RestoredSource(target), "a", "b", "c", "d", "deep.bin")).Should().Equal(changed);
    }

    [Fact]
    public async Task A_renamed_file_appears_under_its_new_name_only()
    {
        await _repo.BackupAsync();
        var from = Path.Join(_repo.Source, "d2", "e0", "f2.txt");
        var to = Path.Join(_repo.Source, "d3", "e1", "renamed.txt");
        File.Move(from, to);

        var second = await _repo.BackupAsync();

        SourceEntries(second).Should().NotContain(e => e.Path == Relative(from));
        Entry(second, to).Content.Should().NotBeEmpty();
        second.Summary.FilesRead.Should().Be(1, "a new name has no parent record, so the file is read (and deduplicated)");
        await AssertEqualsFullReadAsync(second);
    }

    [Fact]
    public async Task A_mode_or_mtime_change_alone_is_recorded()
    {
        await _repo.BackupAsync();
        var chmodded = Path.Join(_repo.Source, "d0", "e0", "f0.txt");
        var touched = Path.Join(_repo.Source, "d1", "e1", "f1.txt");
        var folder = Path.Join(_repo.Source, "a", "b");
        LinuxFileSystem.SetMode(chmodded, Convert.ToUInt32("600", 8));
        LinuxFileSystem.SetTimes(touched, 1_600_000_000_123_456_789);
        LinuxFileSystem.SetMode(folder, Convert.ToUInt32("700", 8));

        var second = await _repo.BackupAsync();

        Entry(second, chmodded).Mode.Should().Be(Convert.ToUInt32("600", 8));
        Entry(second, touched).ModifiedNs.Should().Be(1_600_000_000_123_456_789);
        Entry(second, folder).Mode.Should().Be(Convert.ToUInt32("700", 8));
        await AssertEqualsFullReadAsync(second);
    }

    [Fact]
    public async Task A_folder_attribute_and_a_new_symlink_target_are_seen()
    {
        await _repo.BackupAsync();
        var folder = Path.Join(_repo.Source, "d3");
        var link = Path.Join(_repo.Source, "a", "link");
        LinuxFileSystem.WriteXattr(folder, "user.added", [9]);
        File.Delete(link);
        File.CreateSymbolicLink(link, "elsewhere");

        var second = await _repo.BackupAsync();

        Entry(second, folder).Xattrs.Should().ContainKey("user.added");
        Entry(second, link).LinkTarget.Should().Be("elsewhere");
        await AssertEqualsFullReadAsync(second);
    }

    /// <summary>The snapshot's entries under the source equal those of a backup that reads everything.</summary>
    private async Task AssertEqualsFullReadAsync(Snapshot snapshot)
    {
        var full = await _repo.BackupAsync(parent: "none");
        full.Summary.FilesRead.Should().Be(full.Summary.Files);
        SourceEntries(snapshot).Should().BeEquivalentTo(SourceEntries(full), o => o.WithStrictOrdering());
    }

    private List<ArchiveEntry> SourceEntries(Snapshot snapshot)
    {
        using var repository = _repo.Open();
        var source = Relative(_repo.Source);
        return SnapshotReader.ReadEntries(repository, repository.FindSnapshot(snapshot.Id.ToString()))
            .Where(e => e.Path == source || e.Path.StartsWith(source + "/", StringComparison.Ordinal))
            .ToList();
    }

    private ArchiveEntry Entry(Snapshot snapshot, string fullPath) => SourceEntries(snapshot).Single(e => e.Path == Relative(fullPath));

    private static string Relative(string fullPath) => fullPath.TrimStart('/');
}
