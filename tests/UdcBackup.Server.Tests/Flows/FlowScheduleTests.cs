using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Testing;
using UdcBackup.Testing.Sites;
using static UdcBackup.Server.Tests.Flows.FlowDocuments;

namespace UdcBackup.Server.Tests.Flows;

/// <summary>
/// A scheduled flow prepares each run when it fires: with the site as applied at that moment
/// (not the copy from when it was scheduled), and with the newest published version unless the
/// schedule pinned one. Both schedules are made, then the site is applied again and both flows
/// get a newer version, then each schedule is triggered and its run's prepared input is read from
/// the run's history.
/// </summary>
public sealed class FlowScheduleTests : IClassFixture<SharedServerFixture>
{
    private readonly ServerProcess _server;

    public FlowScheduleTests(SharedServerFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task Each_fire_uses_the_site_applied_then_and_the_newest_or_the_pinned_version()
    {
        await new SampleSite().ApplyAsync(_server, "first.yaml");
        await CreateAndPublishAsync("follows", "00:00:00.100");
        await CreateAndPublishAsync("pinned", "00:00:00.100");
        await ScheduleAsync("follows", version: null);
        await ScheduleAsync("pinned", version: 1);

        // After scheduling: the site changes and both flows get a version 2.
        await new SampleSite { Name = "api-tests-later" }.ApplyAsync(_server, "second.yaml");
        var siteVersion = JsonDocument.Parse(await _server.Http.GetStringAsync(new Uri("/api/site", UriKind.Relative))).RootElement.GetProperty("version").GetInt32();
        siteVersion.Should().BeGreaterThan(1);
        await PublishChangedAsync("follows", "00:00:00.200");
        await PublishChangedAsync("pinned", "00:00:00.200");

        var follows = await FireAsync("follows");
        follows.GetProperty("version").GetInt32().Should().Be(2, "a schedule without a version runs the newest published one");
        follows.GetProperty("site").GetProperty("version").GetInt32().Should().Be(siteVersion, "the site as applied when the schedule fired");
        Duration(follows).Should().Be("00:00:00.200");

        var pinned = await FireAsync("pinned");
        pinned.GetProperty("version").GetInt32().Should().Be(1, "the schedule pinned version 1");
        pinned.GetProperty("site").GetProperty("version").GetInt32().Should().Be(siteVersion);
        Duration(pinned).Should().Be("00:00:00.100");
    }

    private static string Duration(JsonElement input) =>
        input.GetProperty("definition").GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("kind").GetString() == "wait").GetProperty("config").GetProperty("duration").GetString()!;

    private async Task CreateAndPublishAsync(string id, string duration)
    {
        var flow = WaitOnly(id);
        NodeOf(flow, "pause-1")["config"] = new JsonObject { ["duration"] = duration };
        (await _server.Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = flow })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await _server.Http.PostAsJsonAsync(new Uri($"/api/flows/{id}/publish", UriKind.Relative), new { })).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    private async Task PublishChangedAsync(string id, string duration)
    {
        var stored = JsonNode.Parse(await _server.Http.GetStringAsync(new Uri($"/api/flows/{id}", UriKind.Relative)))!;
        var flow = WaitOnly(id);
        NodeOf(flow, "pause-1")["config"] = new JsonObject { ["duration"] = duration };
        using (var saved = await _server.Http.PutAsJsonAsync(new Uri($"/api/flows/{id}/draft", UriKind.Relative), new JsonObject { ["definition"] = flow, ["baseRevision"] = stored["draftRevision"]!.GetValue<int>() }))
        {
            saved.StatusCode.Should().Be(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        }

        using var published = await _server.Http.PostAsJsonAsync(new Uri($"/api/flows/{id}/publish", UriKind.Relative), new { });
        published.StatusCode.Should().Be(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
    }

    private async Task ScheduleAsync(string id, int? version)
    {
        using var scheduled = await _server.Http.PostAsJsonAsync(new Uri($"/api/flows/{id}/schedule", UriKind.Relative), new { cron = "0 2 1 1 *", timeZone = "UTC", version });
        scheduled.StatusCode.Should().Be(HttpStatusCode.OK, await scheduled.Content.ReadAsStringAsync());
    }

    // Triggers the schedule, waits for its run to complete and returns the input the run prepared.
    private async Task<JsonElement> FireAsync(string id)
    {
        using (var trigger = await _server.Http.PostAsync(new Uri($"/api/schedules/flow-{id}/trigger", UriKind.Relative), null))
        {
            trigger.IsSuccessStatusCode.Should().BeTrue(await trigger.Content.ReadAsStringAsync());
        }

        string? workflowId = null;
        await Wait.UntilAsync(
            async () =>
            {
                var schedule = JsonSerializer.Deserialize<ScheduleInfo>(await _server.Http.GetStringAsync(new Uri($"/api/schedules/flow-{id}", UriKind.Relative)), JsonSerializerOptions.Web)!;
                workflowId = schedule.RecentActions.Select(a => a.WorkflowId).LastOrDefault(w => w is not null);
                return workflowId is not null;
            },
            TimeSpan.FromSeconds(30),
            $"the trigger of flow-{id} to start a run");
        var run = await _server.WaitClosedAsync(workflowId!, TimeSpan.FromSeconds(30));
        run.Status.Should().Be("Completed", JsonSerializer.Serialize(run));
        // The prepare activity's result is the full run input: definition, version and site.
        return run.History.Select(h => h.Result).First(r => r is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("definition", out _) && o.TryGetProperty("site", out _))!.Value;
    }
}
