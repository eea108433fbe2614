using UdcBackup.Server.Site;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// The versions the leftover sweep reads: the one that stood at a time (the newest applied at or before
/// it) and every later one, oldest first; re-applying the newest content adds no version.
/// </summary>
public sealed class SiteVersionStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("udc-site-versions-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Versions_since_a_time_start_with_the_one_that_stood_at_that_time()
    {
        var store = new SiteVersionStore(Path.Combine(_directory, "site.db"));
        (await store.ListSinceAsync(Now.AddDays(-7))).Should().BeEmpty("no site was ever applied");

        await store.AddAsync("a", "{\"v\":1}", Now.AddDays(-10));
        await store.AddAsync("b", "{\"v\":2}", Now.AddDays(-8));
        (await store.AddAsync("b", "{\"v\":2}", Now.AddDays(-5))).Unchanged.Should().BeTrue();
        await store.AddAsync("c", "{\"v\":3}", Now.AddDays(-1));
        await store.AddAsync("d", "{\"v\":4}", Now);

        (await store.ListSinceAsync(Now.AddDays(-7))).Select(v => v.Version).Should().Equal([2, 3, 4], "version 2 stood seven days ago");
        (await store.ListSinceAsync(Now.AddDays(-8))).Select(v => v.Version).Should().Equal([2, 3, 4], "version 2 was applied exactly then");
        (await store.ListSinceAsync(Now.AddDays(-30))).Select(v => v.Version).Should().Equal([1, 2, 3, 4], "nothing stood before the first version");
        (await store.ListSinceAsync(Now.AddHours(1))).Select(v => v.Version).Should().Equal([4], "only the applied one stands then");
        var first = (await store.ListSinceAsync(Now.AddDays(-30)))[0];
        first.AppliedAt.Should().Be(Now.AddDays(-10));
        first.Json.Should().Be("{\"v\":1}");
    }
}
