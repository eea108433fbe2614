using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Api;

/// <summary>
/// <c>PUT /api/schedules/{id}</c> and <c>udc schedule update</c> against a real controller: the
/// definition is replaced while history, running runs and pause state stay; unknown ids and bad
/// definitions are refused with nothing changed.
/// </summary>
public sealed class ScheduleUpdateTests : IClassFixture<SharedServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly SharedServerFixture _fixture;

    public ScheduleUpdateTests(SharedServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Update_replaces_the_definition_and_keeps_history_and_pause_state()
    {
        var args = _fixture.ServerArgs;
        var create = await CliRun.InProcessAsync(["schedule", "create", "nightly", "--type", "diag.steps", "--every", "1h", "--input", """{"steps":1,"stepMillis":10}""", .. args]);
        create.ExitCode.Should().Be(0, create.ToString());
        var trigger = await CliRun.InProcessAsync(["schedule", "trigger", "nightly", .. args]);
        trigger.ExitCode.Should().Be(0, trigger.ToString());
        await _fixture.Server.WaitClosedAsync(trigger.Stdout.Trim(), Deadline);
        (await CliRun.InProcessAsync(["schedule", "pause", "nightly", "--note", "disk swap", .. args])).ExitCode.Should().Be(0);
        var before = await ShowAsync("nightly");

        var update = await CliRun.InProcessAsync(["schedule", "update", "nightly", "--type", "diag.steps", "--cron", "0 2 * * *", "--time-zone", "Europe/Berlin", "--input", """{"steps":2,"stepMillis":10}""", "--overlap", "BufferOne", .. args]);

        update.ExitCode.Should().Be(0, update.ToString());
        update.Stdout.Trim().Should().Be("nightly");
        var after = await ShowAsync("nightly");
        after.GetProperty("cronExpressions").EnumerateArray().Select(e => e.GetString()).Should().Equal("0 2 * * *");
        after.GetProperty("intervals").GetArrayLength().Should().Be(0);
        after.GetProperty("timeZone").GetString().Should().Be("Europe/Berlin");
        after.GetProperty("overlapPolicy").GetString().Should().Be("BufferOne");
        after.GetProperty("input").GetProperty("steps").GetInt32().Should().Be(2);
        after.GetProperty("paused").GetBoolean().Should().BeTrue();
        after.GetProperty("note").GetString().Should().Be("disk swap");
        after.GetProperty("createdAt").GetDateTime().Should().Be(before.GetProperty("createdAt").GetDateTime());
        after.GetProperty("recentActions").GetRawText().Should().Be(before.GetProperty("recentActions").GetRawText(), "an update keeps the schedule's history");
    }

    [Fact]
    public async Task Updating_an_unknown_id_is_404_and_a_bad_definition_is_400_with_nothing_changed()
    {
        var http = _fixture.Server.Http;
        using var unknown = await http.PutAsJsonAsync(new Uri("/api/schedules/no-such-schedule", UriKind.Relative), new { workflowType = "diag.steps", interval = "01:00:00" });
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");

        using var created = await http.PostAsJsonAsync(new Uri("/api/schedules", UriKind.Relative), new { id = "kept", workflowType = "diag.steps", interval = "01:00:00", input = new { steps = 1 } });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var before = await DefinitionAsync("kept");

        object[] bad =
        [
            new { workflowType = "diag.steps", cron = "61 * * * *" },
            new { workflowType = "no.such.type", interval = "01:00:00" },
            new { workflowType = "diag.steps", cron = "0 2 * * *", interval = "01:00:00" },
            new { id = "other", workflowType = "diag.steps", interval = "02:00:00" },
        ];
        foreach (var body in bad)
        {
            using var response = await http.PutAsJsonAsync(new Uri("/api/schedules/kept", UriKind.Relative), body);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, JsonSerializer.Serialize(body));
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }

        (await DefinitionAsync("kept")).Should().Be(before, "a rejected update writes nothing");
    }

    /// <summary>The schedule without its next fire times, which move with the clock.</summary>
    private async Task<string> DefinitionAsync(string id)
    {
        var node = JsonNode.Parse(await _fixture.Server.GetRawAsync($"/api/schedules/{id}"))!.AsObject();
        node.Remove("nextFireTimes");
        return node.ToJsonString();
    }

    private async Task<JsonElement> ShowAsync(string id)
    {
        var show = await CliRun.InProcessAsync(["schedule", "show", id, "--json", .. _fixture.ServerArgs]);
        show.ExitCode.Should().Be(0, show.ToString());
        return JsonDocument.Parse(show.Stdout).RootElement.Clone();
    }
}
