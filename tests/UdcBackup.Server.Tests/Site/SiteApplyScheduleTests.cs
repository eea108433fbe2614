using UdcBackup.Server.Site;
using UdcBackup.Cli.Client;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// A site apply updates the job's schedule in place: an operator's pause and its note survive it
/// (a schedule paused for maintenance must not start backups again because someone applied a
/// site), and the schedule then starts the new site version's job.
/// </summary>
public sealed class SiteApplyScheduleTests : IClassFixture<SharedServerFixture>
{
    private readonly SharedServerFixture _fixture;

    public SiteApplyScheduleTests(SharedServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task A_paused_job_schedule_stays_paused_with_its_note_after_the_next_apply()
    {
        var id = SiteSchedules.Prefix + SiteYaml.Job;
        await SiteYaml.Site.ApplyAsync(_fixture.Server);
        (await CliAsync("schedule", "pause", id, "--note", "database maintenance")).ExitCode.Should().Be(0);

        await (SiteYaml.Site with { FirstDataPath = "/srv/db-moved" }).ApplyAsync(_fixture.Server);

        var list = await CliAsync("schedule", "list");
        var show = await CliAsync("schedule", "show", id);
        list.ExitCode.Should().Be(0, list.ToString());
        list.Stdout.Split('\n').Should().ContainSingle(l => l.Contains(id, StringComparison.Ordinal))
            .Which.Should().Contain("paused (database maintenance)", "an apply does not undo an operator's pause");
        show.Stdout.Should().Contain($"schedule {id}: paused (database maintenance)")
            .And.Contain($"starts    backup job {SiteYaml.Job} of site version 2", "the schedule starts the job as now applied");
    }

    private Task<CliResult> CliAsync(params string[] args) => CliRun.InProcessAsync([.. args, .. _fixture.ServerArgs]);
}
