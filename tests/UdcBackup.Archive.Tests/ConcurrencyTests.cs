using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Retention;
using UdcBackup.Archive.Verify;

namespace UdcBackup.Archive.Tests;

/// <summary>Several writers share a repository safely; prune waits for none of them and refuses to run beside them.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Three_backups_at_once_all_commit_and_the_repository_verifies_clean()
    {
        var sources = new List<string>();
        for (var s = 0; s < 3; s++)
        {
            var source = Path.Join(_repo.Root, $"system-{s}");
            sources.Add(source);
            SourceTree.WriteFile(Path.Join(source, "common.bin"), SourceTree.Random(3_000_000, 1));
            for (var i = 0; i < 10; i++)
            {
                SourceTree.WriteFile(Path.Join(source, $"own-{i}.bin"), SourceTree.Random(300_000, (s * 100) + i));
            }
        }

        var snapshots = await Task.WhenAll(sources.Select(source => Task.Run(() => _repo.BackupAsync(path: source))));

        using var repository = _repo.Open();
        repository.ListSnapshots().Should().HaveCount(3);
        new Verifier(repository).Run(readData: true, CancellationToken.None).IsClean.Should().BeTrue();
        for (var s = 0; s < 3; s++)
        {
            var (target, _) = await _repo.RestoreAsync(snapshots[s]);
            TreeComparer.AssertIdentical(sources[s], Path.Join(target, sources[s].TrimStart('/')));
        }
    }

    [Fact]
    public async Task Prune_is_refused_while_a_backup_holds_the_repository()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a"), [1, 2, 3]);
        using var repository = _repo.Open();
        await using (var session = BackupSession.Start(repository, new BackupOptions { Paths = ["x"] }))
        {
            var act = () => new Pruner(repository).Run(CancellationToken.None);
            act.Should().Throw<ArchiveException>().Which.Code.Should().Be(ArchiveErrorCode.Locked);
        }

        new Pruner(repository).Run(CancellationToken.None).Should().NotBeNull("the lock is released with the session");
    }
}
