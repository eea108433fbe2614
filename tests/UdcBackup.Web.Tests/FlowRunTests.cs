using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The whole path of the issue: draw a flow from the palette, see the server's validation error
/// on a missing input at its node, fix it, publish, look at the plan, run it, watch its nodes turn
/// done in the live graph, and find the run in the runs list. The flow is a durable wait followed
/// by a snapshot lookup in the controller's real catalog (no agent needed).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FlowRunTests(BrowserFixture fixture)
{
    private const string Lookup = "catalog.find-snapshot";

    [Fact]
    public async Task A_flow_drawn_from_the_palette_validates_publishes_runs_and_its_nodes_turn_done()
    {
        var flowId = $"web-flow-{Guid.NewGuid():N}"[..22];
        var page = await new DesignerTests(fixture).NewFlowAsync(flowId);

        // Start, then a wait chained under it (a palette click adds below the selected node).
        await Canvas.SelectAsync(page, "start");
        await page.GetByTestId("palette-wait").ClickAsync();
        await Expect(page.Locator(".fnode-wait")).ToHaveCountAsync(1);
        await page.GetByLabel("duration").FillAsync("00:00:01");

        // The lookup dragged onto the canvas: its required snapshot id is missing, so the server's
        // validation marks the node and the field, and publishing is blocked.
        await page.GetByTestId($"palette-{Lookup}").DragToAsync(page.GetByTestId("canvas"), new() { TargetPosition = new() { X = 240, Y = 470 } });
        var lookup = page.Locator(".react-flow__node", new() { Has = page.Locator(".fnode-activity") });
        await Expect(lookup).ToHaveCountAsync(1);
        var lookupId = await lookup.GetAttributeAsync("data-id") ?? throw new InvalidOperationException("node without id");
        await Expect(lookup.Locator(".fnode")).ToHaveClassAsync(new Regex(@"\binvalid\b"));
        var field = page.Locator(".props .field[data-field='snapshotId']");
        await Expect(field.Locator(".field-error")).ToBeVisibleAsync();
        var problems = page.GetByRole(AriaRole.List, new() { Name = "Problems" });
        await Expect(problems.Locator($"li[data-node='{lookupId}']", new() { HasText = "snapshotId" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Publish" })).ToBeDisabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer-invalid");

        // Fixed: the snapshot id filled in, and the wait's port connected to the lookup.
        await field.Locator("input").First.FillAsync(TestSite.SnapshotId);
        await Expect(field.Locator(".field-error")).ToHaveCountAsync(0);
        await Canvas.ConnectAsync(page, "wait-1", lookupId);
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(2);
        await DesignerTests.PublishAsync(page, 1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Auto-layout" }).ClickAsync();
        await Expect(lookup).ToBeInViewportAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer");

        // The plan lists exactly the two steps in order, then the run starts from it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan & run…" }).ClickAsync();
        var plan = page.GetByRole(AriaRole.Table, new() { Name = "Plan" });
        await Expect(plan.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(plan.Locator("tbody tr").Nth(0)).ToHaveAttributeAsync("data-node", "wait-1");
        await Expect(plan.Locator("tbody tr").Nth(1)).ToHaveAttributeAsync("data-node", lookupId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/runs/.+"));
        var workflowId = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath["/runs/".Length..]);

        // The live graph is the flow's own graph; its nodes turn done as the run goes.
        var graph = page.GetByTestId("live-graph");
        await Expect(graph.GetByTestId($"live-node-{lookupId}")).ToBeVisibleAsync();
        await Expect(graph.GetByTestId($"live-node-{lookupId}")).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 60_000 });
        await Expect(graph.GetByTestId("live-node-wait-1")).ToHaveAttributeAsync("data-state", "done");
        await Expect(page.Locator(".page-header .badge[data-status='Completed']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await BrowserFixture.ScreenshotAsync(page, "live-view");

        // And the runs list, filtered to flow runs, has it.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        await page.GetByLabel("Filter by type").SelectOptionAsync("flow");
        await Expect(page.Locator($"tr[data-workflow-id='{workflowId}'] .badge")).ToHaveTextAsync("Completed");
    }
}
