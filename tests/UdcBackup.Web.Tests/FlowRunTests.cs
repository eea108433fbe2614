using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Testing.Sites;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The whole path of the issue against real agents (<see cref="TestSite"/>): draw a flow from the
/// palette, see the server's validation error on a missing input at its node, fix it with the
/// system and script pickers, publish, look at the plan, run it, watch its nodes turn done in the
/// live graph, and find the run in the runs list. The flow runs the site's check script on the
/// owner system's disk agent, then streams that system's data to the media agent into a sealed
/// snapshot; the test checks the script really ran there (the file it writes, its output in the
/// run's history) and that the stream sealed a snapshot.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FlowRunTests(BrowserFixture fixture)
{
    private const string RunScript = "system.run-script";
    private const string StreamBackup = "data.stream-backup";

    [Fact]
    public async Task A_flow_drawn_from_the_palette_runs_a_script_and_streams_a_backup_on_a_real_agent_and_its_nodes_turn_done()
    {
        var flowId = $"web-flow-{Guid.NewGuid():N}"[..22];
        var argument = $"from-the-browser-{flowId}";
        var page = await new DesignerTests(fixture).NewFlowAsync(flowId);

        // The script step dragged onto the canvas: its system and script are missing, so the
        // server's validation marks the node and the field, and publishing is blocked.
        await page.GetByTestId($"palette-{RunScript}").DragToAsync(page.GetByTestId("canvas"), new() { TargetPosition = new() { X = 240, Y = 330 } });
        var script = page.Locator(".react-flow__node", new() { Has = page.Locator(".fnode-activity") });
        await Expect(script).ToHaveCountAsync(1);
        var scriptId = await script.GetAttributeAsync("data-id") ?? throw new InvalidOperationException("node without id");
        await Expect(script.Locator(".fnode")).ToHaveClassAsync(new Regex(@"\binvalid\b"));
        var systemField = Field(page, "systemId");
        await Expect(systemField.Locator(".field-error")).ToBeVisibleAsync();
        var problems = page.GetByRole(AriaRole.List, new() { Name = "Problems" });
        await Expect(problems.Locator($"li[data-node='{scriptId}']", new() { HasText = "systemId" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Publish" })).ToBeDisabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer-invalid");

        // Fixed with the pickers: the system from the site, then the script the site allows on it.
        await systemField.Locator("input").FillAsync(TestSite.OwnerSystem);
        await Expect(systemField.Locator(".field-error")).ToHaveCountAsync(0);
        var scriptPicker = Field(page, "script").Locator("select");
        await Expect(scriptPicker.Locator("option", new() { HasText = TestSite.CheckScript })).ToHaveCountAsync(1);
        await scriptPicker.SelectOptionAsync(TestSite.CheckScript);
        await Field(page, "arguments").Locator("textarea").FillAsync($"[\"{argument}\"]");
        await Canvas.ConnectAsync(page, "start", scriptId);
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(1);

        // The backup stream chained under the script (a palette click adds below the selected node).
        await Canvas.SelectAsync(page, scriptId);
        await page.GetByTestId($"palette-{StreamBackup}").ClickAsync();
        var stream = page.Locator(".react-flow__node", new() { Has = page.Locator(".fnode-activity") }).Nth(1);
        var streamId = await stream.GetAttributeAsync("data-id") ?? throw new InvalidOperationException("node without id");
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(2);
        await Field(page, "systemId").Locator("input").FillAsync(TestSite.OwnerSystem);
        await Field(page, "mediaAgentId").Locator("input").FillAsync(SampleSite.MediaAgent);
        await Field(page, "repository").Locator("input").FillAsync(SampleSite.Repository);
        await Field(page, "level").Locator("input").FillAsync("full");
        await Field(page, "sessionId").Locator("input").FillAsync($"{flowId}-session");
        await Field(page, "dataSets").Locator("textarea").FillAsync(JsonSerializer.Serialize(new[] { new { name = "data", paths = new[] { fixture.Site.DataFolder }, excludes = Array.Empty<string>() } }));
        await Expect(page.GetByTestId("problem-count")).ToHaveTextAsync("valid", new() { Timeout = 5_000 });

        // Laid out before publishing, so the live graph of the version shows the same layout.
        await page.GetByRole(AriaRole.Button, new() { Name = "Auto-layout" }).ClickAsync();
        await Expect(stream).ToBeInViewportAsync();
        await DesignerTests.PublishAsync(page, 1);
        await BrowserFixture.ScreenshotAsync(page, "designer");

        // The plan lists exactly the two steps in order, with the script, then the run starts from it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan & run…" }).ClickAsync();
        var plan = page.GetByRole(AriaRole.Table, new() { Name = "Plan" });
        await Expect(plan.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(plan.Locator("tbody tr").Nth(0)).ToHaveAttributeAsync("data-node", scriptId);
        await Expect(plan.Locator("tbody tr").Nth(0)).ToContainTextAsync(TestSite.CheckScript);
        await Expect(plan.Locator("tbody tr").Nth(1)).ToHaveAttributeAsync("data-node", streamId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/runs/.+"));
        var workflowId = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath["/runs/".Length..]);

        // The live graph is the flow's own graph; its nodes turn done as the agents do the work.
        var graph = page.GetByTestId("live-graph");
        await Expect(graph.GetByTestId($"live-node-{streamId}")).ToBeVisibleAsync();
        await Expect(graph.GetByTestId($"live-node-{streamId}")).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 90_000 });
        await Expect(graph.GetByTestId($"live-node-{scriptId}")).ToHaveAttributeAsync("data-state", "done");
        await Expect(page.Locator(".page-header .badge[data-status='Completed']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await BrowserFixture.ScreenshotAsync(page, "live-view");

        // The script ran on the agent: it wrote its marker with the flow's argument, and its
        // output is in the run's history next to the sealed snapshot of the stream.
        (await File.ReadAllTextAsync(fixture.Site.CheckMarker)).Should().Contain(argument);
        var history = await fixture.Server.Http.GetStringAsync(new Uri($"/api/workflows/{Uri.EscapeDataString(workflowId)}", UriKind.Relative));
        history.Should().Contain("checked 2 files", "the script's standard output is the node's result");
        var snapshot = new Regex("\"snapshotId\":\\s*\"(?<id>[^\"]+)\"", RegexOptions.IgnoreCase).Match(history);
        snapshot.Success.Should().BeTrue($"the sealing stream returns its snapshot: {history}");

        // And the runs list, filtered to flow runs, has it.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        await page.GetByLabel("Filter by type").SelectOptionAsync("flow");
        await Expect(page.Locator($"tr[data-workflow-id='{workflowId}'] .badge")).ToHaveTextAsync("Completed");
    }

    private static ILocator Field(IPage page, string input) => page.Locator($".props .field[data-field='{input}']");
}
