using UdcBackup.Archive.Restore;

namespace UdcBackup.Archive.Tests;

/// <summary>Partial, repeated and policy-driven restores.</summary>
public sealed class RestoreTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_second_restore_skips_what_is_already_correct_and_redoes_only_what_is_missing()
    {
        for (var i = 0; i < 10; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"f{i}.txt"), SourceTree.Text(10_000 + i, i));
        }

        var snapshot = await _repo.BackupAsync();
        var (target, first) = await _repo.RestoreAsync(snapshot);
        first.FilesRestored.Should().Be(10);
        var restored = _repo.RestoredSource(target);
        File.Delete(Path.Join(restored, "f3.txt"));
        File.WriteAllText(Path.Join(restored, "f4.txt"), "interrupted half way");

        var (_, second) = await _repo.RestoreAsync(snapshot, target);

        second.FilesRestored.Should().Be(2, "only the missing and the wrong file are written again");
        second.FilesSkipped.Should().Be(8);
        second.FilesAlreadyCorrect.Should().Be(8);
        TreeComparer.AssertIdentical(_repo.Source, restored);
    }

    [Fact]
    public async Task A_restore_onto_an_identical_tree_reports_every_file_as_already_correct_with_its_bytes()
    {
        long bytes = 0;
        for (var i = 0; i < 6; i++)
        {
            var content = SourceTree.Text(3_000 + i, i);
            SourceTree.WriteFile(Path.Join(_repo.Source, "sub", $"f{i}.txt"), content);
            bytes += content.Length;
        }

        var snapshot = await _repo.BackupAsync();
        var (target, first) = await _repo.RestoreAsync(snapshot);
        first.FilesAlreadyCorrect.Should().Be(0, "the target was empty");
        first.BytesWritten.Should().Be(bytes);

        var (_, second) = await _repo.RestoreAsync(snapshot, target);

        second.FilesRestored.Should().Be(0);
        second.BytesWritten.Should().Be(0);
        second.FilesAlreadyCorrect.Should().Be(6, "every file already matched the snapshot");
        second.BytesAlreadyCorrect.Should().Be(bytes);
        second.FilesSkipped.Should().Be(6);

        var (_, kept) = await _repo.RestoreAsync(snapshot, target, overwrite: OverwritePolicy.Never);
        kept.FilesSkipped.Should().Be(6);
        kept.FilesAlreadyCorrect.Should().Be(0, "files kept by the policy were not compared with the snapshot");
    }

    [Fact]
    public async Task Include_patterns_restore_only_the_matching_paths_and_never_keeps_existing_files()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "db", "data.bin"), SourceTree.Random(20_000, 1));
        SourceTree.WriteFile(Path.Join(_repo.Source, "db", "wal", "0001"), SourceTree.Random(5_000, 2));
        SourceTree.WriteFile(Path.Join(_repo.Source, "web", "index.html"), SourceTree.Text(500, 3));
        var snapshot = await _repo.BackupAsync();

        var (target, _) = await _repo.RestoreAsync(snapshot, includes: [_repo.Source + "/db"]);
        var restored = _repo.RestoredSource(target);
        File.Exists(Path.Join(restored, "db", "wal", "0001")).Should().BeTrue();
        File.Exists(Path.Join(restored, "db", "data.bin")).Should().BeTrue();
        Directory.Exists(Path.Join(restored, "web")).Should().BeFalse();

        File.WriteAllText(Path.Join(restored, "db", "data.bin"), "local change");
        await _repo.RestoreAsync(snapshot, target, ["**/data.bin"], OverwritePolicy.Never);
        File.ReadAllText(Path.Join(restored, "db", "data.bin")).Should().Be("local change");
        await _repo.RestoreAsync(snapshot, target, ["**/data.bin"], OverwritePolicy.Always);
        File.ReadAllBytes(Path.Join(restored, "db", "data.bin")).Should().Equal(File.ReadAllBytes(Path.Join(_repo.Source, "db", "data.bin")));
        Directory.GetFiles(restored, "*.partial", SearchOption.AllDirectories).Should().BeEmpty();
    }
}
