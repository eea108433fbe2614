using UdcBackup.Archive.Native;
using UdcBackup.Archive.Restore;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// A restored file gets its owner, mode and times through its open descriptor, and the restore
/// leaves out the owner and mode calls when the new file already has them; these tests pin the
/// cases where it must not: a group inherited from a setgid folder, setuid/setgid bits after a
/// change of owner, and a folder the restore did not make.
/// </summary>
public sealed class RestoreMetadataTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Files_restored_under_a_setgid_folder_get_the_snapshot_group_and_their_special_bits()
    {
        SourceTree.IsRoot.Should().BeTrue("this test sets owners and setuid bits; it needs root (CI runs as root)");
        var source = _repo.Source;
        var times = 1_700_000_000_123_456_789L;
        SourceTree.WriteFile(Path.Join(source, "app", "plain.txt"), SourceTree.Text(3_000, 1), times);
        SourceTree.WriteFile(Path.Join(source, "app", "private.key"), SourceTree.Random(100, 2), times);
        SourceTree.WriteFile(Path.Join(source, "app", "setuid.bin"), SourceTree.Random(5_000, 3), times);
        SourceTree.WriteFile(Path.Join(source, "app", "setgid.sh"), SourceTree.Text(700, 4), times);
        LinuxFileSystem.SetMode(Path.Join(source, "app", "private.key"), Octal("600")); // the mode a new temp already has
        LinuxFileSystem.SetOwner(Path.Join(source, "app", "setuid.bin"), 4321, 4322);
        LinuxFileSystem.SetMode(Path.Join(source, "app", "setuid.bin"), Octal("4750"));
        LinuxFileSystem.SetOwner(Path.Join(source, "app", "setgid.sh"), 0, 4323);
        LinuxFileSystem.SetMode(Path.Join(source, "app", "setgid.sh"), Octal("2755"));
        var snapshot = await _repo.BackupAsync();

        // New files and folders under a setgid folder take its group (and folders its setgid bit),
        // so a file's group cannot be assumed to be the restoring process's.
        var target = Path.Join(_repo.Root, "shared");
        Directory.CreateDirectory(target);
        LinuxFileSystem.SetOwner(target, 0, 4500);
        LinuxFileSystem.SetMode(target, Octal("2775"));
        var (_, result) = await _repo.RestoreAsync(snapshot, target);

        result.FilesRestored.Should().Be(4);
        TreeComparer.AssertIdentical(source, _repo.RestoredSource(target));
    }

    private static uint Octal(string mode) => Convert.ToUInt32(mode, 8);

    [Fact]
    public async Task A_restore_into_folders_it_did_not_make_still_keeps_what_it_must_not_replace()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "etc", "app.conf"), SourceTree.Text(2_000, 5));
        SourceTree.WriteFile(Path.Join(_repo.Source, "etc", "other.conf"), SourceTree.Text(2_000, 6));
        var snapshot = await _repo.BackupAsync();
        var target = Path.Join(_repo.Root, "existing");
        var restored = _repo.RestoredSource(target);
        SourceTree.WriteFile(Path.Join(restored, "etc", "app.conf"), "edited by hand"u8.ToArray());

        var (_, never) = await _repo.RestoreAsync(snapshot, target, overwrite: OverwritePolicy.Never);
        never.FilesSkipped.Should().Be(1, "the folder existed, so its file is checked");
        never.FilesRestored.Should().Be(1);
        File.ReadAllText(Path.Join(restored, "etc", "app.conf")).Should().Be("edited by hand");

        var (_, ifChanged) = await _repo.RestoreAsync(snapshot, target);
        ifChanged.FilesRestored.Should().Be(1, "only the edited file differs from the snapshot");
        ifChanged.FilesSkipped.Should().Be(1);
        TreeComparer.AssertIdentical(_repo.Source, restored);
    }
}
