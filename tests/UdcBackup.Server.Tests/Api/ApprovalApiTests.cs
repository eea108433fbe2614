using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using UdcBackup.Server.Tests.Auth;
using UdcBackup.Server.Tests.Infrastructure;
using static UdcBackup.Server.Tests.Flows.FlowDocuments;

namespace UdcBackup.Server.Tests.Api;

/// <summary>
/// A flow run waiting at an approval node lists it; an operator approves or rejects it with a
/// note, the run goes on (or fails without a rejected branch), its history and node say who
/// answered, the audit names the user; a viewer cannot answer, and a node that is not waiting
/// is a 409 that sends nothing.
/// </summary>
public sealed class ApprovalApiTests : IClassFixture<SharedServerFixture>
{
    private readonly ServerProcess _server;

    public ApprovalApiTests(SharedServerFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task An_operator_approves_a_waiting_node_with_a_note_and_the_history_and_audit_say_who()
    {
        var run = await StartGatedFlowAsync("gated-approve");
        using var viewer = await _server.SignedInAsync("gate-viewer", "viewer");
        using var operatorClient = await _server.SignedInAsync("gate-operator", "operator");

        using (var refused = await viewer.PostAsJsonAsync(Path(run, "gate", "approve"), new { note = "me too" }))
        {
            await refused.ProblemAsync(HttpStatusCode.Forbidden);
        }

        using (var wrongNode = await operatorClient.PostAsJsonAsync(Path(run, "start", "approve"), new { }))
        {
            var problem = await wrongNode.ProblemAsync(HttpStatusCode.Conflict);
            problem.GetProperty("detail").GetString().Should().Contain("not waiting for an approval at node 'start'").And.Contain("it waits for: gate");
        }

        using (var approved = await operatorClient.PostAsJsonAsync(Path(run, "gate", "approve"), new { note = "change ticket 42" }))
        {
            approved.StatusCode.Should().Be(HttpStatusCode.Accepted, await approved.Content.ReadAsStringAsync());
        }

        var closed = await _server.WaitClosedAsync(run, TimeSpan.FromSeconds(30));
        closed.Status.Should().Be("Completed");
        var signal = closed.History.Should().ContainSingle(e => e.EventType == "WorkflowSignaled").Subject;
        signal.SignalName.Should().Be("approve");
        signal.Input!.Value.GetProperty("by").GetString().Should().Be("gate-operator");
        signal.Input!.Value.GetProperty("note").GetString().Should().Be("change ticket 42");
        var gate = JsonDocument.Parse(await _server.GetRawAsync($"/api/workflows/{run}/nodes")).RootElement.EnumerateArray().Single(n => n.GetProperty("nodeId").GetString() == "gate");
        gate.GetProperty("state").GetString().Should().Be("done");
        gate.GetProperty("error").GetString().Should().Be("approved by gate-operator: change ticket 42");

        var audit = JsonDocument.Parse(await _server.GetRawAsync("/api/audit?limit=50")).RootElement.EnumerateArray()
            .Where(a => a.GetProperty("action").GetString() == "ApproveRun" && a.GetProperty("target").GetString()!.Contains($"id={run}", StringComparison.Ordinal)).ToList();
        audit.Select(a => (a.GetProperty("user").GetString(), a.GetProperty("outcome").GetInt32())).Should().BeEquivalentTo(
            [("gate-operator", 202), ("gate-operator", 409), ("gate-viewer", 403)]);
        audit.First().GetProperty("target").GetString().Should().Contain("node=gate").And.Contain("note=change ticket 42");

        using var late = await operatorClient.PostAsJsonAsync(Path(run, "gate", "approve"), new { });
        (await late.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString().Should().Contain("waits for no approval now");
    }

    [Fact]
    public async Task A_rejection_ends_a_flow_without_a_rejected_branch_and_names_who_rejected()
    {
        var run = await StartGatedFlowAsync("gated-reject");
        using var operatorClient = await _server.SignedInAsync("gate-rejecter", "operator");

        using (var rejected = await operatorClient.PostAsJsonAsync(Path(run, "gate", "reject"), new { note = "not in the window" }))
        {
            rejected.StatusCode.Should().Be(HttpStatusCode.Accepted, await rejected.Content.ReadAsStringAsync());
        }

        var closed = await _server.WaitClosedAsync(run, TimeSpan.FromSeconds(30));
        closed.Status.Should().Be("Failed");
        closed.Failure!.Message.Should().Contain("rejected by gate-rejecter: not in the window");
        closed.History.Should().ContainSingle(e => e.EventType == "WorkflowSignaled" && e.SignalName == "reject");
    }

    private async Task<string> StartGatedFlowAsync(string id)
    {
        var flow = new JsonObject
        {
            ["schema"] = "udc.flow/v1",
            ["id"] = id,
            ["name"] = $"Flow {id}",
            ["version"] = 0,
            ["state"] = "draft",
            ["nodes"] = new JsonArray(Node("start", "start"), Node("gate", "approval"), Node("after", "wait", new JsonObject { ["duration"] = "00:00:00.100" })),
            ["edges"] = new JsonArray(Edge("e1", "start", "next", "gate"), Edge("e2", "gate", "next", "after")),
        };
        (await _server.Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = flow })).EnsureSuccessStatusCode();
        (await _server.Http.PostAsJsonAsync(new Uri($"/api/flows/{id}/publish", UriKind.Relative), new { })).EnsureSuccessStatusCode();
        using var started = await _server.Http.PostAsJsonAsync(new Uri($"/api/flows/{id}/run", UriKind.Relative), new { });
        var body = await started.Content.ReadAsStringAsync();
        started.StatusCode.Should().Be(HttpStatusCode.Accepted, body);
        var run = JsonDocument.Parse(body).RootElement.GetProperty("workflowId").GetString()!;

        await Wait.UntilAsync(
            async () => JsonDocument.Parse(await _server.GetRawAsync($"/api/workflows/{run}/approvals")).RootElement.EnumerateArray().Any(a => a.GetProperty("node").GetString() == "gate"),
            TimeSpan.FromSeconds(30),
            $"run {run} to wait at its approval node");
        var pending = JsonDocument.Parse(await _server.GetRawAsync($"/api/workflows/{run}/approvals")).RootElement.EnumerateArray().Single();
        pending.GetProperty("signal").GetString().Should().Be("approve");
        pending.GetProperty("label").GetString().Should().Be("gate");
        return run;
    }

    private static Uri Path(string run, string node, string verb) => new($"/api/workflows/{Uri.EscapeDataString(run)}/approvals/{node}/{verb}", UriKind.Relative);
}
