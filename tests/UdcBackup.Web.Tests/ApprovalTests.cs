using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// A flow run waiting at an approval node offers Approve and Reject on its page: an operator
/// approves with a note and the run finishes, its history naming the operator and the note; a
/// viewer sees the wait but no buttons; the generic signal form is for admins only, and offers the
/// flow's two signals with neither chosen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ApprovalTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_operator_approves_a_waiting_run_with_a_note_and_the_history_names_the_operator()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var run = await StartGatedFlowAsync($"gate-{tag}");
        var viewer = $"viewer-{tag}";
        var viewerPassword = await fixture.CreateUserAsync(viewer, "viewer");
        var viewerPage = await fixture.SignedInPageAsync($"/runs/{run}", viewer, viewerPassword);
        var viewerPanel = viewerPage.GetByRole(AriaRole.Region, new() { Name = "Approvals" });
        await Expect(viewerPanel).ToContainTextAsync("Approve the change");
        await Expect(viewerPanel.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);

        var op = $"operator-{tag}";
        var password = await fixture.CreateUserAsync(op, "operator");
        var page = await fixture.SignedInPageAsync($"/runs/{run}", op, password);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Signal…" })).ToHaveCountAsync(0);
        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Approvals" });
        await Expect(panel).ToContainTextAsync("Approve the change");
        await panel.GetByLabel("Note for gate").FillAsync("ticket 7 checked");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(page.GetByText($"approved gate as {op}.")).ToBeVisibleAsync();
        await Expect(page.Locator(".page-header [data-status]")).ToHaveAttributeAsync("data-status", "Completed");
        await Expect(page.GetByText($"approved gate by {op}: ticket 7 checked")).ToBeVisibleAsync();
        await Expect(panel).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "run-approved");
    }

    [Fact]
    public async Task A_rejection_from_the_run_page_fails_the_run_and_an_admin_still_has_the_signal_form()
    {
        var run = await StartGatedFlowAsync($"gate-{Guid.NewGuid().ToString("N")[..8]}");
        var page = await fixture.SignedInPageAsync($"/runs/{run}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Signal…" })).ToBeEnabledAsync();
        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Approvals" });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();

        await Expect(page.Locator(".page-header [data-status]")).ToHaveAttributeAsync("data-status", "Failed");
        await Expect(page.GetByText(new Regex("rejected gate by admin$"))).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_admins_signal_form_offers_a_flow_runs_approve_and_reject_with_neither_chosen()
    {
        var run = await StartGatedFlowAsync($"gate-{Guid.NewGuid().ToString("N")[..8]}");
        var page = await fixture.SignedInPageAsync($"/runs/{run}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Signal…" }).ClickAsync();

        var name = page.GetByLabel("Signal name");
        await Expect(name).ToBeFocusedAsync();
        await Expect(name.Locator("option:not([disabled])")).ToHaveTextAsync(new[] { "approve", "reject" });
        await Expect(name).ToHaveValueAsync(string.Empty);
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send signal" });
        await Expect(send).ToBeDisabledAsync();

        await name.SelectOptionAsync("approve");
        await page.GetByLabel("Payload (JSON, optional)").FillAsync("""{"node": "gate"}""");
        await send.ClickAsync();
        await Expect(page.GetByText("Signal approve recorded.")).ToBeVisibleAsync();
        await Expect(page.Locator(".page-header [data-status]")).ToHaveAttributeAsync("data-status", "Completed");
        await page.Context.CloseAsync();
    }

    // start → approval "gate" → a short wait; runs without any agent.
    private async Task<string> StartGatedFlowAsync(string id)
    {
        JsonObject Node(string nodeId, string kind, string? label = null, JsonObject? config = null)
        {
            var node = new JsonObject { ["id"] = nodeId, ["kind"] = kind, ["label"] = label ?? nodeId, ["position"] = new JsonObject { ["x"] = 0, ["y"] = 0 } };
            if (config is not null)
            {
                node["config"] = config;
            }

            return node;
        }

        JsonObject Edge(string edgeId, string source, string target) => new() { ["id"] = edgeId, ["source"] = source, ["port"] = "next", ["target"] = target };
        var flow = new JsonObject
        {
            ["schema"] = "udc.flow/v1",
            ["id"] = id,
            ["name"] = $"Gated {id}",
            ["version"] = 0,
            ["state"] = "draft",
            ["nodes"] = new JsonArray(Node("start", "start"), Node("gate", "approval", "Approve the change"), Node("after", "wait", config: new JsonObject { ["duration"] = "00:00:00.100" })),
            ["edges"] = new JsonArray(Edge("e1", "start", "gate"), Edge("e2", "gate", "after")),
        };
        var http = fixture.Server.Http;
        (await http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = flow })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync(new Uri($"/api/flows/{id}/publish", UriKind.Relative), new { })).EnsureSuccessStatusCode();
        using var started = await http.PostAsJsonAsync(new Uri($"/api/flows/{id}/run", UriKind.Relative), new { });
        started.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("workflowId").GetString()!;
    }
}
