using UdcBackup.Activities.Catalog;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Server.Tests.Site;
using UdcBackup.Testing;
using UdcBackup.Testing.Sites;

namespace UdcBackup.Server.Tests.Cli;

/// <summary>
/// <c>udc restore start --snapshot</c> with the ids an operator has at hand: the 12-character
/// ids <c>udc jobs show</c> prints, or <c>latest</c>. The CLI resolves them in the controller's
/// catalog; an id that fits none or several is bad input and starts nothing. Its other options:
/// <c>--approve</c> without <c>--to</c> and a relative <c>--into</c> are bad input too.
/// </summary>
public sealed class RestoreSnapshotIdTests : IAsyncLifetime
{
    private const string Older = "5b1f0c3a9d2e47a8b6c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9";
    private const string Newer = "5b1f0c3a7d2e99a8b6c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9";
    private const string OtherSystems = "77aa00bb11cc22dd33ee44ff55aa66bb77cc88dd99ee00ff11aa22bb33cc44dd";
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync();
        await SiteYaml.Site.ApplyAsync(_server, "restore-ids.yaml");
        var catalog = new SqliteSnapshotCatalog(Path.Combine(_server.DataDirectory, "catalog.db"));
        var now = DateTimeOffset.UtcNow;
        await catalog.AddAsync(new CatalogEntry(Older, SiteYaml.FirstSystem, SiteYaml.Job, "full", SampleSite.MediaAgent, SampleSite.Repository, now.AddHours(-2), 10, 1));
        await catalog.AddAsync(new CatalogEntry(Newer, SiteYaml.FirstSystem, SiteYaml.Job, "full", SampleSite.MediaAgent, SampleSite.Repository, now.AddHours(-1), 10, 1));
        await catalog.AddAsync(new CatalogEntry(OtherSystems, SiteYaml.SecondSystem, SiteYaml.Job, "full", SampleSite.MediaAgent, SampleSite.Repository, now, 10, 1));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_short_id_jobs_show_prints_and_latest_start_a_restore_of_that_snapshot()
    {
        var byShortId = await RestoreAsync(Older[..12]);
        var latest = await RestoreAsync("latest");

        (await RestoredSnapshotAsync(byShortId)).Should().Be(Older);
        (await RestoredSnapshotAsync(latest)).Should().Be(Newer, "latest is the system's newest snapshot, not the site's");
    }

    [Fact]
    public async Task A_prefix_of_two_snapshots_or_of_none_is_bad_input_that_names_where_to_find_ids()
    {
        var ambiguous = await _server.RunCliAsync(["restore", "start", "--system", SiteYaml.FirstSystem, "--snapshot", Older[..8]]);
        var unknown = await _server.RunCliAsync(["restore", "start", "--system", SiteYaml.FirstSystem, "--snapshot", "0123abcd"]);

        ambiguous.ExitCode.Should().Be(2, ambiguous.ToString());
        ambiguous.Stderr.Should().Contain(Older[..12]).And.Contain(Newer[..12]).And.Contain("longer");
        unknown.ExitCode.Should().Be(2, unknown.ToString());
        unknown.Stderr.Should().Contain("0123abcd").And.Contain("udc jobs show");
        (await _server.GetRawAsync("/api/jobs")).Should().Be("[]", "a refused restore starts nothing");
    }

    [Fact]
    public async Task A_short_id_of_another_systems_snapshot_gets_the_controllers_ownership_answer()
    {
        var result = await _server.RunCliAsync(["restore", "start", "--system", SiteYaml.FirstSystem, "--snapshot", OtherSystems[..12]]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain($"belongs to {SiteYaml.SecondSystem}");
    }

    [Fact]
    public async Task Approve_without_another_target_is_bad_input_and_starts_nothing()
    {
        var result = await _server.RunCliAsync(["restore", "start", "--system", SiteYaml.FirstSystem, "--snapshot", "latest", "--approve"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("--approve").And.Contain("--to SYSTEM");
        (await _server.GetRawAsync("/api/jobs")).Should().Be("[]", "a refused restore starts nothing");
    }

    [Fact]
    public async Task Into_a_folder_travels_in_the_runs_input_and_a_relative_one_is_refused_before_anything_starts()
    {
        var relative = await _server.RunCliAsync(["restore", "start", "--system", SiteYaml.FirstSystem, "--snapshot", "latest", "--into", "restored/here"]);
        relative.ExitCode.Should().Be(2, relative.ToString());
        relative.Stderr.Should().Contain("into 'restored/here' is not an absolute folder path");
        (await _server.GetRawAsync("/api/jobs")).Should().Be("[]", "a refused restore starts nothing");

        var run = await RestoreAsync("latest", "--into", "/srv/restored");
        (await _server.DescribeAsync(run)).Input!.Value.GetProperty("into").GetString().Should().Be("/srv/restored");
    }

    [Fact]
    public async Task A_restore_run_shows_the_code_patch_it_took_in_its_history()
    {
        var run = await RestoreAsync("latest");

        await Wait.UntilAsync(async () => (await _server.DescribeAsync(run)).History.Any(e => e.EventType == "MarkerRecorded"), TimeSpan.FromMinutes(2), "the restore's first step");
        var shown = await _server.RunCliAsync(["workflow", "show", run]);

        (await _server.DescribeAsync(run)).History.Should().ContainSingle(e => e.EventType == "MarkerRecorded")
            .Which.MarkerName.Should().Be("restore-target-check", "the API names the patch, so an operator reading a run's history sees which code it ran");
        shown.ExitCode.Should().Be(0, shown.ToString());
        shown.Stdout.Should().MatchRegex(@"MarkerRecorded +code patch restore-target-check");
    }

    // Forced: the first restore still runs (its window cannot open here) when the second starts.
    private async Task<string> RestoreAsync(string snapshot, params string[] more)
    {
        var result = await _server.RunCliAsync(["restore", "start", "--system", SiteYaml.FirstSystem, "--snapshot", snapshot, "--force", .. more]);
        result.ExitCode.Should().Be(0, result.ToString());
        return result.Stdout.Trim();
    }

    private async Task<string?> RestoredSnapshotAsync(string runId)
    {
        var run = await _server.DescribeAsync(runId);
        return run.Input!.Value.GetProperty("snapshotId").GetString();
    }
}
