using UdcBackup.Cli.Client;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Server.Tests.Site;

namespace UdcBackup.Server.Tests.Cli;

/// <summary>
/// <c>udc schedule show ID</c> as an operator reads it: what the schedule starts (a site job's
/// schedule names the job, its site version and systems instead of printing the planned site),
/// the spec, the next fire times, and the newest firings with the result of each run they
/// started; <c>--json</c> still prints the whole document.
/// </summary>
public sealed class ScheduleShowTests : IClassFixture<SharedServerFixture>
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(60);
    private readonly SharedServerFixture _fixture;

    public ScheduleShowTests(SharedServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task A_site_job_schedule_names_the_job_and_its_systems_not_the_planned_site()
    {
        await SiteYaml.Site.ApplyAsync(_fixture.Server);
        var id = $"job-{SiteYaml.Job}";

        var show = await CliAsync("schedule", "show", id);
        var json = await CliAsync("schedule", "show", id, "--json");

        show.ExitCode.Should().Be(0, show.ToString());
        show.Stdout.Should().Contain($"starts    backup job {SiteYaml.Job} of site version ")
            .And.Contain(SiteYaml.FirstSystem).And.Contain(SiteYaml.SecondSystem)
            .And.Contain("when      cron 0 2 1 1 * (UTC)")
            .And.Contain("overlap   Skip")
            .And.Contain("last firings: none yet");
        show.Stdout.Should().NotContain(SiteYaml.Site.FirewallNamespace, "the planned site (firewalls, addresses, paths) is for --json")
            .And.NotContain(SiteYaml.Site.FirstDataPath);
        show.Stdout.Split('\n').Length.Should().BeLessThan(15, "the page is meant to be read at a glance");
        json.ExitCode.Should().Be(0, json.ToString());
        json.Stdout.Should().Contain(SiteYaml.Site.FirewallNamespace, "--json is the full document");
    }

    [Fact]
    public async Task The_last_firings_show_each_started_runs_result()
    {
        (await CliAsync("schedule", "create", "show-ok", "--type", "diag.steps", "--every", "1d", "--input", "{\"steps\":1,\"stepMillis\":0}")).ExitCode.Should().Be(0);
        (await CliAsync("schedule", "create", "show-fails", "--type", "diag.steps", "--every", "1d", "--input", "{\"steps\":1,\"stepMillis\":0,\"failAt\":1}")).ExitCode.Should().Be(0);
        var ok = (await CliAsync("schedule", "trigger", "show-ok")).Stdout.Trim();
        var failed = (await CliAsync("schedule", "trigger", "show-fails")).Stdout.Trim();
        await _fixture.Server.WaitClosedAsync(ok, RunDeadline);
        await _fixture.Server.WaitClosedAsync(failed, RunDeadline);

        var okShow = await CliAsync("schedule", "show", "show-ok");
        var failedShow = await CliAsync("schedule", "show", "show-fails");

        okShow.ExitCode.Should().Be(0, okShow.ToString());
        okShow.Stdout.Should().Contain("starts    workflow diag.steps, input {\"steps\":1,\"stepMillis\":0}").And.Contain("when      every 1d");
        Row(okShow.Stdout, ok).Should().Contain("Started").And.EndWith("completed");
        failedShow.ExitCode.Should().Be(0, failedShow.ToString());
        Row(failedShow.Stdout, failed).Should().Contain("Started").And.Contain("failed: ");
    }

    [Fact]
    public async Task The_list_shows_no_next_time_for_a_paused_schedule()
    {
        (await CliAsync("schedule", "create", "list-paused", "--type", "diag.steps", "--every", "1d", "--input", "{\"steps\":1,\"stepMillis\":0}")).ExitCode.Should().Be(0);
        (await CliAsync("schedule", "create", "list-active", "--type", "diag.steps", "--every", "1d", "--input", "{\"steps\":1,\"stepMillis\":0}")).ExitCode.Should().Be(0);
        (await CliAsync("schedule", "pause", "list-paused", "--note", "disk swap")).ExitCode.Should().Be(0);

        var list = await CliAsync("schedule", "list");

        list.ExitCode.Should().Be(0, list.ToString());
        Row(list.Stdout, "list-paused").Should().Contain("paused (disk swap)").And.EndWith("none while paused");
        Row(list.Stdout, "list-active").Should().MatchRegex(@"active\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$");
    }

    [Theory]
    [InlineData(0, 4, 0, "4m")]
    [InlineData(6, 0, 0, "6h")]
    [InlineData(24, 0, 0, "1d")]
    [InlineData(1, 30, 0, "90m")]
    [InlineData(0, 0, 30, "30s")]
    public void A_duration_is_written_the_way_the_options_read_it(int hours, int minutes, int seconds, string expected)
    {
        var value = new TimeSpan(hours, minutes, seconds);

        Durations.Format(value).Should().Be(expected);
        Durations.Parse(expected, "--every").Should().Be(value);
    }

    private static string Row(string page, string runId) =>
        page.Split('\n').Select(l => l.TrimEnd()).SingleOrDefault(l => l.Contains(runId, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"no row for {runId} in:{Environment.NewLine}{page}");

    private Task<CliResult> CliAsync(params string[] args) => CliRun.InProcessAsync([.. args, .. _fixture.ServerArgs]);
}
