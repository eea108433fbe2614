using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Server.Site;
using UdcBackup.Server.Tests.Infrastructure;
using static UdcBackup.Server.Tests.Site.SiteApiTests;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// <c>/api/backups</c>, <c>/api/restores</c> and <c>/api/jobs</c> on a real controller process,
/// and the CLI's view of them (<c>udc jobs list|show</c> as a child process, so not a terminal:
/// plain text, no cursor codes). Every refusal is a problem-details answer and starts nothing;
/// an accepted backup is listed at once with one pending line per system of the job.
/// </summary>
public sealed class JobApiTests : IAsyncLifetime
{
    private const string SnapshotId = "snap-api-0001";
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Refused_starts_are_problems_that_start_nothing_and_an_accepted_backup_is_followed_by_the_cli()
    {
        // Before any site: nothing can start.
        await ExpectProblemAsync(await PostAsync("/api/backups", new { job = SiteYaml.Job }), HttpStatusCode.BadRequest, "No site has been applied yet");
        await ExpectProblemAsync(await PostAsync("/api/restores", new { system = SiteYaml.FirstSystem, snapshot = SnapshotId }), HttpStatusCode.BadRequest, "No site has been applied yet");

        await SiteYaml.Site.ApplyAsync(_server, "api-test.yaml");
        await SiteYaml.Site.AddSnapshotAsync(_server, SnapshotId);

        // A missing field is a malformed request, not an unknown job, system or snapshot named ''.
        await ExpectProblemAsync(await PostAsync("/api/backups", new { }), HttpStatusCode.BadRequest, "job is required");
        await ExpectProblemAsync(await PostAsync("/api/restores", new { snapshot = SnapshotId }), HttpStatusCode.BadRequest, "system is required");
        await ExpectProblemAsync(await PostAsync("/api/restores", new { system = SiteYaml.FirstSystem }), HttpStatusCode.BadRequest, "snapshot is required");

        // Unknown job, unknown system, unknown snapshot, wrong owner, another system without approval.
        await ExpectProblemAsync(await PostAsync("/api/backups", new { job = "no-such-job" }), HttpStatusCode.NotFound, "has no job 'no-such-job'");
        await ExpectProblemAsync(await PostAsync("/api/restores", new { system = "no-such-system", snapshot = SnapshotId }), HttpStatusCode.NotFound, "no system 'no-such-system' (system)");
        await ExpectProblemAsync(
            await PostAsync("/api/restores", new { system = SiteYaml.FirstSystem, snapshot = SnapshotId, to = "no-such-target", approve = true }),
            HttpStatusCode.NotFound,
            $"no system 'no-such-target' (to). Systems: {string.Join(", ", new[] { SiteYaml.FirstSystem, SiteYaml.SecondSystem }.Order(StringComparer.Ordinal))}.");
        await ExpectProblemAsync(await PostAsync("/api/restores", new { system = SiteYaml.FirstSystem, snapshot = "snap-nowhere" }), HttpStatusCode.NotFound, "is not in the catalog");
        await ExpectProblemAsync(await PostAsync("/api/restores", new { system = SiteYaml.SecondSystem, snapshot = SnapshotId }), HttpStatusCode.BadRequest, $"belongs to {SiteYaml.FirstSystem}");
        await ExpectProblemAsync(
            await PostAsync("/api/restores", new { system = SiteYaml.FirstSystem, snapshot = SnapshotId, to = SiteYaml.SecondSystem }),
            HttpStatusCode.BadRequest,
            "needs explicit approval");
        await ExpectProblemAsync(await _server.Http.GetAsync(new Uri("/api/jobs/no-such-run", UriKind.Relative)), HttpStatusCode.NotFound, "no job run 'no-such-run'");
        await ExpectProblemAsync(await _server.Http.GetAsync(new Uri($"/api/schedules/{SiteYaml.Job}", UriKind.Relative)), HttpStatusCode.NotFound, $"scheduled as '{SiteSchedules.Prefix}{SiteYaml.Job}'");
        (await _server.GetRawAsync("/api/jobs")).Should().Be("[]", "no refused request started a run");
        (await _server.GetRawAsync("/api/workflows")).Should().Be("[]");

        var refused = await _server.RunCliAsync("restore", "start", "--system", SiteYaml.FirstSystem, "--snapshot", SnapshotId, "--to", SiteYaml.SecondSystem);
        refused.ExitCode.Should().Be(2, refused.ToString());
        refused.Stderr.Should().Contain("needs explicit approval");

        // An accepted backup: 201 with its id, listed at once, one line per system in job order.
        string id;
        using (var started = await PostAsync("/api/backups", new { job = SiteYaml.Job }))
        {
            started.StatusCode.Should().Be(HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
            id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            started.Headers.Location!.ToString().Should().EndWith(Uri.EscapeDataString(id));
        }

        var jobs = JsonDocument.Parse(await _server.GetRawAsync("/api/jobs")).RootElement;
        jobs.EnumerateArray().Should().ContainSingle().Which.GetProperty("id").GetString().Should().Be(id);
        var details = JsonDocument.Parse(await _server.GetRawAsync($"/api/jobs/{Uri.EscapeDataString(id)}")).RootElement;
        details.GetProperty("status").GetString().Should().BeOneOf(["Running", "Failed"], "its window cannot open here");
        details.GetProperty("progress").GetProperty("systems").EnumerateArray().Select(s => s.GetProperty("systemId").GetString())
            .Should().Equal(SiteYaml.FirstSystem, SiteYaml.SecondSystem);

        var list = await _server.RunCliAsync("jobs", "list");
        list.ExitCode.Should().Be(0, list.ToString());
        list.Stdout.Should().Contain(id).And.Contain("backup.job");

        var show = await _server.RunCliAsync("jobs", "show", id);
        show.ExitCode.Should().Be(0, show.ToString());
        // Pending while the window is retried, Skipped once opening gave up: either way a plain bar per system.
        show.Stdout.Should().Contain($"{id} (backup.job): ")
            .And.MatchRegex($"{SiteYaml.FirstSystem}\\s+\\[[#.]{{20}}\\]\\s+(Pending|Skipped)", "a plain bar when not on a terminal")
            .And.MatchRegex($"{SiteYaml.SecondSystem}\\s+\\[[#.]{{20}}\\]\\s+(Pending|Skipped)")
            .And.NotContain("\u001b[", "no cursor or colour codes into a pipe");

        var json = await _server.RunCliAsync("jobs", "show", id, "--json");
        JsonDocument.Parse(json.Stdout).RootElement.GetProperty("id").GetString().Should().Be(id, "--json prints the API's answer");

        // A diagnostic workflow is not a job.
        var diag = await _server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 10 }, "diag-not-a-job");
        await ExpectProblemAsync(await _server.Http.GetAsync(new Uri($"/api/jobs/{diag.WorkflowId}", UriKind.Relative)), HttpStatusCode.NotFound, "not a backup or restore");

        // An approved cross-system restore starts, and its input records the approver.
        // Forced: the backup above still works on the target (BusySystemTests covers the refusal).
        using (var restore = await PostAsync("/api/restores", new { system = SiteYaml.FirstSystem, snapshot = SnapshotId, to = SiteYaml.SecondSystem, approve = true, @operator = "night-shift", force = true }))
        {
            restore.StatusCode.Should().Be(HttpStatusCode.Created, await restore.Content.ReadAsStringAsync());
            var restoreId = JsonDocument.Parse(await restore.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            var run = await _server.DescribeAsync(restoreId);
            run.Input!.Value.GetProperty("approvedBy").GetString().Should().NotBeNullOrEmpty();
            run.Input!.Value.GetProperty("targetSystemId").GetString().Should().Be(SiteYaml.SecondSystem);
        }
    }

    private Task<HttpResponseMessage> PostAsync(string path, object body) =>
        _server.Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
}
