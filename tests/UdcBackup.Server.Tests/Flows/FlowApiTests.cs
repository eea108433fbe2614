using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using UdcBackup.Server.Tests.Infrastructure;
using static UdcBackup.Server.Tests.Flows.FlowDocuments;

namespace UdcBackup.Server.Tests.Flows;

/// <summary>
/// The flows API against a real controller process: each kind of validation error comes back
/// with the node id (and input) it is about, publishing an invalid flow is 422 and stores no
/// version, a stale draft revision is 409, versions and rollback, export/import, plan preview,
/// cron preview, and a run whose node states turn done.
/// </summary>
public sealed class FlowApiTests : IClassFixture<SharedServerFixture>
{
    private readonly SharedServerFixture _fixture;

    public FlowApiTests(SharedServerFixture fixture)
    {
        _fixture = fixture;
    }

    private HttpClient Http => _fixture.Server.Http;

    public static TheoryData<string, string, string, string?> Broken() => new()
    {
        // case, expected code, node id, input
        { "cycle", "cycle", "wait-1", null },
        { "missing-input", "missing-input", "check-1", "script" },
        { "unknown-activity", "unknown-activity", "check-1", null },
        { "wrong-type", "wrong-type", "check-1", "timeoutSeconds" },
        { "finally-without-cleanup", "finally-without-cleanup", "try-1", "finally" },
        { "unreachable-node", "unreachable-node", "lost-1", null },
        { "dangling-edge", "dangling-edge", "wait-1", "next" },
        { "bad-expression", "bad-expression", "check-1", "script" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task An_invalid_flow_gets_its_error_with_the_node_and_publishing_it_stores_nothing(string kind, string code, string nodeId, string? input)
    {
        var id = $"broken-{kind}";
        var flow = Break(Valid(id), kind);

        using var validate = await Http.PostAsJsonAsync(new Uri("/api/flows/validate", UriKind.Relative), new JsonObject { ["definition"] = flow.DeepClone() });
        var result = await Body(validate);
        validate.StatusCode.Should().Be(HttpStatusCode.OK);
        result["valid"]!.GetValue<bool>().Should().BeFalse();
        var errors = result["errors"]!.AsArray().Select(e => e!.AsObject()).ToList();
        errors.Should().Contain(e => (string?)e["code"] == code && (string?)e["nodeId"] == nodeId && (string?)e["input"] == input, because: result.ToJsonString());

        // Saved as a draft (drafts may be invalid), but it cannot be published.
        using var created = await Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = flow });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var revision = (await Body(created))["draftRevision"]!.GetValue<int>();
        using var publish = await Http.PostAsJsonAsync(new Uri($"/api/flows/{id}/publish", UriKind.Relative), new { revision });
        var problem = await Body(publish);
        publish.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        problem["errors"]!.AsArray().Should().Contain(e => (string?)e!["code"] == code && (string?)e["nodeId"] == nodeId);

        (await Body(await Http.GetAsync(new Uri($"/api/flows/{id}/versions", UriKind.Relative)))).AsArray().Should().BeEmpty();
        (await Body(await Http.GetAsync(new Uri($"/api/flows/{id}", UriKind.Relative))))["published"].Should().BeNull();
    }

    [Fact]
    public async Task Drafts_have_revisions_publish_makes_versions_and_rollback_publishes_an_old_one_again()
    {
        var flow = Valid("versions");
        var created = await Body(await Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = flow.DeepClone() }));
        created["errors"]!.AsArray().Should().BeEmpty();

        flow["name"] = "Second name";
        using var saved = await Http.PutAsJsonAsync(new Uri("/api/flows/versions/draft", UriKind.Relative), new JsonObject { ["definition"] = flow.DeepClone(), ["baseRevision"] = 1 });
        (await Body(saved))["draftRevision"]!.GetValue<int>().Should().Be(2);
        using var stale = await Http.PutAsJsonAsync(new Uri("/api/flows/versions/draft", UriKind.Relative), new JsonObject { ["definition"] = flow.DeepClone(), ["baseRevision"] = 1 });
        stale.StatusCode.Should().Be(HttpStatusCode.Conflict);

        using var stalePublish = await Http.PostAsJsonAsync(new Uri("/api/flows/versions/publish", UriKind.Relative), new { revision = 1 });
        stalePublish.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await Body(await Http.PostAsJsonAsync(new Uri("/api/flows/versions/publish", UriKind.Relative), new { revision = 2 })))["version"]!.GetValue<int>().Should().Be(1);

        NodeOf(flow, "wait-1")["config"]!["duration"] = "00:00:05";
        await Http.PutAsJsonAsync(new Uri("/api/flows/versions/draft", UriKind.Relative), new JsonObject { ["definition"] = flow.DeepClone(), ["baseRevision"] = 2 });
        (await Body(await Http.PostAsJsonAsync(new Uri("/api/flows/versions/publish", UriKind.Relative), new { revision = 3 })))["version"]!.GetValue<int>().Should().Be(2);
        using var rollback = await Http.PostAsJsonAsync(new Uri("/api/flows/versions/rollback", UriKind.Relative), new { version = 1 });
        rollback.StatusCode.Should().Be(HttpStatusCode.Created);
        (await Body(rollback))["version"]!.GetValue<int>().Should().Be(3);

        var versions = (await Body(await Http.GetAsync(new Uri("/api/flows/versions/versions", UriKind.Relative)))).AsArray();
        versions.Select(v => v!["version"]!.GetValue<int>()).Should().Equal(1, 2, 3);
        // The publisher is whoever the controller signed the request in as.
        using var me = await Http.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        var caller = me.IsSuccessStatusCode ? (await Body(me))["user"]!.GetValue<string>() : "anonymous";
        versions.Should().OnlyContain(v => (string?)v!["publishedBy"] == caller);
        var v3 = await Body(await Http.GetAsync(new Uri("/api/flows/versions/versions/3", UriKind.Relative)));
        NodeOf(v3["definition"]!.AsObject(), "wait-1")["config"]!["duration"]!.GetValue<string>().Should().Be("00:00:01");
        v3["definition"]!["state"]!.GetValue<string>().Should().Be("published");

        // Export gives the newest published document; importing it creates another flow's draft.
        var exported = await Body(await Http.GetAsync(new Uri("/api/flows/versions/export", UriKind.Relative)));
        exported["version"]!.GetValue<int>().Should().Be(3);
        exported["id"] = "versions-copy";
        using var imported = await Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), exported);
        imported.StatusCode.Should().Be(HttpStatusCode.Created);
        var list = (await Body(await Http.GetAsync(new Uri("/api/flows", UriKind.Relative)))).AsArray();
        list.Should().Contain(f => (string?)f!["id"] == "versions" && f["publishedVersion"]!.GetValue<int>() == 3);
        list.Should().Contain(f => (string?)f!["id"] == "versions-copy" && f["publishedVersion"] == null);
    }

    [Fact]
    public async Task A_document_with_unknown_fields_is_refused_and_nothing_is_stored()
    {
        var flow = Valid("strict");
        flow["colour"] = "blue";
        using var created = await Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = flow });
        created.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Http.GetAsync(new Uri("/api/flows/strict", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Plan_lists_the_steps_a_run_takes_in_order_with_system_and_script()
    {
        await Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = Valid("planned") });
        (await Http.PostAsJsonAsync(new Uri("/api/flows/planned/publish", UriKind.Relative), new { })).StatusCode.Should().Be(HttpStatusCode.Created);

        var plan = await Body(await Http.PostAsJsonAsync(new Uri("/api/flows/planned/plan", UriKind.Relative), new { }));

        var steps = plan["steps"]!.AsArray().Select(s => s!.AsObject()).ToList();
        steps.Select(s => (string?)s["nodeId"]).Should().Equal("try-1", "check-1", "close-1", "wait-1");
        steps[1]["system"]!.GetValue<string>().Should().Be("db-1");
        steps[1]["script"]!.GetValue<string>().Should().Be("check.sh");
        steps[1]["summary"]!.GetValue<string>().Should().Be("run 'check.sh' on db-1");
        steps[2]["summary"]!.GetValue<string>().Should().StartWith("cleanup, always: ");
    }

    [Fact]
    public async Task A_run_starts_the_flow_workflow_and_its_nodes_turn_done()
    {
        await Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = WaitOnly("runs") });
        await Http.PostAsJsonAsync(new Uri("/api/flows/runs/publish", UriKind.Relative), new { });

        using var run = await Http.PostAsJsonAsync(new Uri("/api/flows/runs/run", UriKind.Relative), new { inputs = new { note = "test" } });
        run.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var workflowId = (await Body(run))["workflowId"]!.GetValue<string>();

        var closed = await _fixture.Server.WaitClosedAsync(workflowId, TimeSpan.FromSeconds(30));
        closed.Status.Should().Be("Completed");
        var nodes = (await Body(await Http.GetAsync(new Uri($"/api/workflows/{workflowId}/nodes", UriKind.Relative)))).AsArray();
        nodes.Select(n => (string?)n!["state"]).Should().Equal("done", "done");
    }

    [Fact]
    public async Task Cron_preview_describes_the_expression_and_lists_the_next_fire_times()
    {
        var preview = await Body(await Http.GetAsync(new Uri("/api/cron/preview?cron=30%202%20*%20*%201-5&tz=Europe/Berlin&count=3", UriKind.Relative)));

        preview["description"]!.GetValue<string>().Should().Be("at 02:30, on Monday to Friday");
        var next = preview["next"]!.AsArray().Select(t => t!.GetValue<DateTime>()).ToList();
        next.Should().HaveCount(3).And.BeInAscendingOrder();
        next.Should().OnlyContain(t => t.Minute == 30 && t.DayOfWeek != DayOfWeek.Saturday && t.DayOfWeek != DayOfWeek.Sunday);
        (await Http.GetAsync(new Uri("/api/cron/preview?cron=61%20*%20*%20*%20*", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    private static JsonObject Break(JsonObject flow, string kind)
    {
        var nodes = flow["nodes"]!.AsArray();
        var edges = flow["edges"]!.AsArray();
        var check = NodeOf(flow, "check-1");
        switch (kind)
        {
            case "cycle":
                edges.Add(Edge("loop", "wait-1", "next", "try-1"));
                break;
            case "missing-input":
                check["input"]!.AsObject().Remove("script");
                break;
            case "unknown-activity":
                check["activity"] = "system.reboot-everything";
                break;
            case "wrong-type":
                check["input"]!["timeoutSeconds"] = "ten";
                break;
            case "finally-without-cleanup":
                edges.RemoveAt(2);
                nodes.Remove(nodes.Single(n => (string?)n!["id"] == "close-1"));
                break;
            case "unreachable-node":
                nodes.Add(Node("lost-1", "wait", new JsonObject { ["duration"] = "00:01:00" }));
                break;
            case "dangling-edge":
                edges.Add(Edge("nowhere", "wait-1", "next", "ghost-1"));
                break;
            case "bad-expression":
                check["input"]!["script"] = new JsonObject { ["$expr"] = "nodes.wait-1.output.name" };
                break;
        }

        return flow;
    }

    private static async Task<JsonNode> Body(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"empty body ({response.StatusCode})");
    }
}
