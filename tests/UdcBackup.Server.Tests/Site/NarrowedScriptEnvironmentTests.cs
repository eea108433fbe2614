using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Testing;
using UdcBackup.Testing.Sites;
using static UdcBackup.Server.Tests.Flows.FlowDocuments;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// A site and a flow saved while <c>ScriptEnvironmentPrefixes</c> admitted <c>ACME_</c>, then the
/// controller restarted with only <c>UDC_</c>: the start logs one warning per refused variable,
/// the site and flow show the problems, and every way of starting a run that would pass the
/// variable (API, CLI, the job's and the flow's schedules) is refused before a step runs.
/// </summary>
public sealed class NarrowedScriptEnvironmentTests
{
    private static readonly Dictionary<string, string> Wide = new()
    {
        ["UDC_SCRIPTENVIRONMENTPREFIXES__0"] = "UDC_",
        ["UDC_SCRIPTENVIRONMENTPREFIXES__1"] = "PG",
        ["UDC_SCRIPTENVIRONMENTPREFIXES__2"] = "ACME_",
    };

    private static readonly Dictionary<string, string> Narrow = new() { ["UDC_SCRIPTENVIRONMENTPREFIXES__0"] = "UDC_" };

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_stored_site_is_reported_at_start_and_its_backups_and_restores_are_refused_before_any_step()
    {
        await using var server = await ServerProcess.StartAsync(environment: Wide);
        var site = new SampleSite
        {
            FirstScripts = new Dictionary<string, string>
            {
                ["preBackup"] = "{ name: db/pre-backup, env: { UDC_MODE: full, ACME_X: '1' } }",
                ["postBackup"] = "db/post-backup",
                ["stopPrograms"] = "{ name: db/stop-programs, env: { ACME_X: '1' } }",
                ["startPrograms"] = "db/start-programs",
            },
        };
        await site.ApplyAsync(server);
        await site.AddSnapshotAsync(server, "snap-narrowed");

        await server.RestartAsync(Narrow);

        await Wait.UntilAsync(() => server.Output.Contains("preBackup script db/pre-backup, variable ACME_X", StringComparison.Ordinal), Deadline, "the start-up warning");
        server.Output.Should().Contain("stopPrograms script db/stop-programs, variable ACME_X").And.Contain("ScriptEnvironmentPrefixes");
        var shown = JsonNode.Parse(await server.GetRawAsync("/api/site"))!;
        var problems = shown["scriptEnvironmentProblems"]!.AsArray();
        problems.Select(p => $"{p!["systemId"]} {p["script"]} {p["scriptName"]} {p["variable"]}").Should().Equal(
            "db-1 preBackup db/pre-backup ACME_X",
            "db-1 stopPrograms db/stop-programs ACME_X");
        shown["scriptEnvironmentPrefixes"]!.AsArray().Select(p => (string?)p).Should().Equal("UDC_");

        var show = await server.RunCliAsync("site", "show");
        show.ExitCode.Should().Be(0, show.ToString());
        show.Stdout.Should().Contain("ACME_X").And.Contain("ScriptEnvironmentPrefixes");

        using (var backup = await server.Http.PostAsJsonAsync(new Uri("/api/backups", UriKind.Relative), new { job = site.Job }))
        {
            await RefusedAsync(backup);
        }

        var cli = await server.RunCliAsync("backup", "start", site.Job);
        cli.ExitCode.Should().NotBe(0, cli.ToString());
        cli.Stderr.Should().Contain("ACME_X");

        using (var restore = await server.Http.PostAsJsonAsync(new Uri("/api/restores", UriKind.Relative), new { system = SampleSite.FirstSystem, snapshot = "snap-narrowed" }))
        {
            await RefusedAsync(restore);
        }

        JsonNode.Parse(await server.GetRawAsync("/api/jobs"))!.AsArray().Should().BeEmpty("nothing was started");

        var run = await FireAsync(server, $"job-{site.Job}");
        run.Status.Should().Be("Failed", JsonSerializer.Serialize(run));
        run.Failure!.Describe().Should().Contain("ACME_X").And.Contain("ScriptEnvironmentPrefixes");
        run.History.Should().NotContain(h => h.ActivityType != null, "no step of the run may start");
        JsonNode.Parse(await server.GetRawAsync("/api/jobs"))!.AsArray().Select(j => (string?)j!["id"]).Should().Contain(run.WorkflowId, "the refused scheduled run is listed with the jobs");
    }

    [Fact]
    public async Task A_published_flow_is_reported_at_start_and_its_runs_are_refused_before_any_step()
    {
        await using var server = await ServerProcess.StartAsync(environment: Wide);
        await new SampleSite().ApplyAsync(server);
        var flow = Valid("narrowed");
        NodeOf(flow, "check-1")["input"]!["environment"] = new JsonObject { ["ACME_X"] = "1" };
        (await server.Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = flow })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await server.Http.PostAsJsonAsync(new Uri("/api/flows/narrowed/publish", UriKind.Relative), new { })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await server.Http.PostAsJsonAsync(new Uri("/api/flows/narrowed/schedule", UriKind.Relative), new { cron = "0 2 1 1 *", timeZone = "UTC" })).StatusCode.Should().Be(HttpStatusCode.OK);

        await server.RestartAsync(Narrow);

        await Wait.UntilAsync(() => server.Output.Contains("flow narrowed version 1 (published), node check-1", StringComparison.Ordinal), Deadline, "the start-up warning");
        server.Output.Should().Contain("'ACME_X'").And.Contain("ScriptEnvironmentPrefixes");
        var shown = JsonNode.Parse(await server.GetRawAsync("/api/flows/narrowed"))!;
        shown["published"]!["errors"]!.AsArray().Should().ContainSingle()
            .Which!["message"]!.GetValue<string>().Should().Contain("'ACME_X'");
        shown["errors"]!.AsArray().Should().ContainSingle("the draft is checked with the current rule too");

        using (var run = await server.Http.PostAsJsonAsync(new Uri("/api/flows/narrowed/run", UriKind.Relative), new { }))
        {
            await RefusedAsync(run);
        }

        var fired = await FireAsync(server, "flow-narrowed");
        fired.Status.Should().Be("Failed", JsonSerializer.Serialize(fired));
        fired.Failure!.Describe().Should().Contain("ACME_X").And.Contain("ScriptEnvironmentPrefixes");
        fired.History.Where(h => h.ActivityType != null).Select(h => h.ActivityType).Distinct().Should().Equal(["flow.prepare-run"], "only the prepare step runs, and it refuses");
    }

    private static async Task RefusedAsync(HttpResponseMessage answer)
    {
        var body = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, body);
        answer.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonNode.Parse(body)!;
        problem["detail"]!.GetValue<string>().Should().Contain("ACME_X").And.Contain("ScriptEnvironmentPrefixes");
        problem["errors"]!.AsArray().Should().NotBeEmpty();
    }

    // Triggers the schedule and waits for the run it started to close.
    private static async Task<WorkflowDetails> FireAsync(ServerProcess server, string scheduleId)
    {
        using (var trigger = await server.Http.PostAsync(new Uri($"/api/schedules/{scheduleId}/trigger", UriKind.Relative), null))
        {
            trigger.IsSuccessStatusCode.Should().BeTrue(await trigger.Content.ReadAsStringAsync());
        }

        string? workflowId = null;
        await Wait.UntilAsync(
            async () =>
            {
                var schedule = JsonSerializer.Deserialize<ScheduleInfo>(await server.GetRawAsync($"/api/schedules/{scheduleId}"), JsonSerializerOptions.Web)!;
                workflowId = schedule.RecentActions.Select(a => a.WorkflowId).LastOrDefault(w => w is not null);
                return workflowId is not null;
            },
            Deadline,
            $"the trigger of {scheduleId} to start a run");
        return await server.WaitClosedAsync(workflowId!, Deadline);
    }
}
