using UdcBackup.Archive.Backup;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// A file removed between the stat walk and its read (the read-ahead asks the kernel for it before
/// its reader opens it) is skipped with a warning naming it; the backup stores every other file.
/// </summary>
public sealed class VanishedFileTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_file_removed_after_the_walk_is_skipped_with_a_warning_and_the_rest_is_stored()
    {
        for (var i = 0; i < 40; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"f{i:D2}.bin"), SourceTree.Random(50_000 + (i * 1000), i));
        }

        var options = new BackupOptions { Paths = [_repo.Source] };
        var walk = FileSystemBackup.StartScan(options);
        await walk.Completion;
        var gone = Path.Join(_repo.Source, "f20.bin");
        File.Delete(gone);

        Snapshots.Snapshot snapshot;
        using (var repository = _repo.Open())
        {
            snapshot = await new FileSystemBackup(repository, options).RunAsync(walk, CancellationToken.None);
        }

        snapshot.Summary!.Warnings.Should().ContainSingle(w => w.Contains($"skipped '{gone}'", StringComparison.Ordinal));
        var (target, _) = await _repo.RestoreAsync(snapshot);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
    }
}
