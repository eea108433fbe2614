using UdcBackup.Archive.Format;
using UdcBackup.Archive.Retention;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Verify;

namespace UdcBackup.Archive.Tests;

/// <summary>Retention keeps what the policy names per group; prune frees the rest and keeps the repository whole.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Policy_keeps_last_daily_and_monthly_per_group()
    {
        var start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var snapshots = new List<Snapshot>();
        for (var day = 0; day < 60; day++)
        {
            snapshots.Add(Fake(start.AddDays(day), "db-01", day));
            snapshots.Add(Fake(start.AddDays(day).AddHours(6), "db-01", 100 + day));
        }

        snapshots.Add(Fake(start, "web-01", 500));
        var policy = new RetentionPolicy { Last = 2, Daily = 7, Monthly = 3, GroupByTags = ["system"] };

        var (keep, remove) = policy.Apply(snapshots);

        keep.Should().Contain(k => k.Snapshot.Tags["system"] == "web-01", "each group keeps its own newest");
        var db = keep.Where(k => k.Snapshot.Tags["system"] == "db-01").ToList();
        db.Should().HaveCount(2 + 6 + 1, "2 last (both of the last day), 6 more days, and January's newest (March and February are already kept)");
        db.Select(k => k.Snapshot.Time).Should().Contain(start.AddDays(30).AddHours(6), "the newest of January is kept monthly");
        remove.Should().HaveCount(snapshots.Count - keep.Count);
    }

    [Fact]
    public async Task Forget_and_prune_free_the_data_of_forgotten_snapshots_only()
    {
        var snapshots = new List<Snapshot>();
        SourceTree.WriteFile(Path.Join(_repo.Source, "shared.bin"), SourceTree.Random(2_000_000, 1));
        for (var i = 0; i < 3; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, "changing.bin"), SourceTree.Random(3_000_000, 10 + i));
            snapshots.Add(await _repo.BackupAsync());
        }

        var before = RepositoryBytes();
        using (var repository = _repo.Open())
        {
            var (keep, remove) = new Forgetter(repository).Run(new RetentionPolicy { Last = 1 }, [], dryRun: false);
            keep.Should().ContainSingle().Which.Snapshot.Id.Should().Be(snapshots[^1].Id);
            remove.Should().HaveCount(2);
            var pruned = new Pruner(repository).Run(CancellationToken.None);
            pruned.BytesFreed.Should().BeGreaterThan(5_000_000);
            new Verifier(repository).Run(readData: true, CancellationToken.None).IsClean.Should().BeTrue();
        }

        RepositoryBytes().Should().BeLessThan(before - 5_000_000);
        var (target, _) = await _repo.RestoreAsync(snapshots[^1]);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
    }

    [Fact]
    public async Task Forget_without_a_rule_refuses_to_remove_everything()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a"), [1]);
        await _repo.BackupAsync();
        using var repository = _repo.Open();

        var act = () => new Forgetter(repository).Run(new RetentionPolicy(), [], dryRun: false);

        act.Should().Throw<ArchiveException>().Which.Code.Should().Be(ArchiveErrorCode.InvalidArgument);
        repository.ListSnapshots().Should().HaveCount(1);
    }

    private long RepositoryBytes() =>
        Directory.EnumerateFiles(_repo.RepositoryPath, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static Snapshot Fake(DateTimeOffset time, string system, int seed) => new()
    {
        Id = new BlobId((ulong)seed + 1, 0, 0, 0),
        Time = time,
        Host = "h",
        Tags = new Dictionary<string, string> { ["system"] = system },
    };
}
