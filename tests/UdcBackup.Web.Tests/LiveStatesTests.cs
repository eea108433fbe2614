using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The live view's node states as a run goes, not only at its end: a sequence whose body waits
/// (running while its timer runs, the next step still waiting, then all done), and a script
/// step whose agent cannot be reached, with retries set in the designer's run options
/// (retrying with its attempt count, then failed, and the run failed).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveStatesTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Long = new() { Timeout = 60_000 };
    private static readonly JsonSerializerOptions WithoutNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    [Fact]
    public async Task A_sequence_body_shows_running_while_its_wait_runs_then_every_node_turns_done()
    {
        var id = $"live-seq-{Guid.NewGuid():N}"[..20];
        var page = await ImportAsync(id, [
            Node("start", "start"),
            Node("sequence-1", "sequence"),
            Node("wait-1", "wait", config: new { duration = "00:00:05" }),
            Node("wait-2", "wait", config: new { duration = "00:00:01" }),
        ], [("start", "next", "sequence-1"), ("sequence-1", "body", "wait-1"), ("sequence-1", "next", "wait-2")]);
        await DesignerTests.PublishAsync(page, 1);
        var graph = await RunAsync(page);

        await Expect(graph.GetByTestId("live-node-wait-1")).ToHaveAttributeAsync("data-state", "running");
        await Expect(graph.GetByTestId("live-node-sequence-1")).ToHaveAttributeAsync("data-state", "running");
        await Expect(graph.GetByTestId("live-node-wait-2")).ToHaveAttributeAsync("data-state", "waiting");
        await BrowserFixture.ScreenshotAsync(page, "live-view-running");

        await Expect(graph.GetByTestId("live-node-wait-2")).ToHaveAttributeAsync("data-state", "done", Long);
        await Expect(graph.GetByTestId("live-node-wait-1")).ToHaveAttributeAsync("data-state", "done");
        await Expect(graph.GetByTestId("live-node-sequence-1")).ToHaveAttributeAsync("data-state", "done");
        await Expect(page.Locator(".page-header .badge[data-status='Completed']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_step_whose_agent_is_unreachable_shows_retrying_with_its_attempt_then_failed()
    {
        var id = $"live-retry-{Guid.NewGuid():N}"[..22];
        // Port 1 of loopback: nothing listens there, so every attempt fails to connect (a transport
        // error, which is retried), unlike a script that runs and fails (never retried).
        var page = await ImportAsync(id, [
            Node("start", "start"),
            Node("run-script-1", "activity", activity: "system.run-script", input: new { systemId = DemoSite.AppSystem, agentEndpoint = "127.0.0.1:1", script = DemoSite.ResumeScript }),
        ], [("start", "next", "run-script-1")]);

        // Retries set in the properties panel, checked as they are typed.
        await Canvas.SelectAsync(page, "run-script-1");
        await page.Locator(".run-options summary").ClickAsync();
        var attempts = page.Locator(".props .field[data-field='options.maxAttempts']");
        await attempts.Locator("input").FillAsync("0");
        await Expect(attempts.Locator(".field-error")).ToContainTextAsync("between 1 and 100");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Publish" })).ToBeDisabledAsync();
        await attempts.Locator("input").FillAsync("3");
        await page.Locator(".props .field[data-field='options.retryInterval'] input").FillAsync("00:00:02");
        await Expect(attempts.Locator(".field-error")).ToHaveCountAsync(0);
        await DesignerTests.PublishAsync(page, 1);

        // The options are part of the stored version: the exported file carries them.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export" }).ClickAsync());
        using (var exported = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync())))
        {
            var options = exported.RootElement.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "run-script-1").GetProperty("options");
            options.GetProperty("maxAttempts").GetInt32().Should().Be(3);
            options.GetProperty("retryInterval").GetString().Should().Be("00:00:02");
        }

        var graph = await RunAsync(page);

        var node = graph.GetByTestId("live-node-run-script-1");
        await Expect(node).ToHaveAttributeAsync("data-state", "retrying", Long);
        await Expect(node).ToContainTextAsync(new Regex(@"attempt [23]"));
        await BrowserFixture.ScreenshotAsync(page, "live-view-retrying");
        await Expect(node).ToHaveAttributeAsync("data-state", "failed", Long);
        await Expect(page.Locator(".page-header .badge[data-status='Failed']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    private static object Node(string id, string kind, string? activity = null, object? input = null, object? config = null) =>
        new { id, kind, label = id, activity, input, config, position = new { x = 0, y = 0 } };

    /// <summary>Imports a flow file through the flows page and waits for the designer to show it laid out.</summary>
    private async Task<IPage> ImportAsync(string id, object[] nodes, (string Source, string Port, string Target)[] edges)
    {
        var document = new
        {
            schema = "udc.flow/v1",
            id,
            name = $"Web test {id}",
            version = 0,
            state = "draft",
            nodes,
            edges = edges.Select(e => new { id = $"e-{e.Source}-{e.Port}-{e.Target}", source = e.Source, port = e.Port, target = e.Target }),
        };
        var file = Path.Combine(Path.GetTempPath(), $"{id}.flow.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(document, WithoutNulls));
        try
        {
            var page = await fixture.SignedInPageAsync("/designer");
            await page.GetByLabel("Import flow file").SetInputFilesAsync(file);
            await Expect(page).ToHaveURLAsync(new Regex($"/designer/{id}$"));
            await Expect(page.Locator(".react-flow__node")).ToHaveCountAsync(nodes.Length);
            await page.GetByRole(AriaRole.Button, new() { Name = "Auto-layout" }).ClickAsync();
            return page;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<ILocator> RunAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan & run…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Plan" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/runs/.+"));
        return page.GetByTestId("live-graph");
    }
}
