using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// Views that show without editing: the designer opened by a viewer speaks of a flow to read, not
/// of a palette, buttons or fields to edit it with; the live graph of a small run is as tall as its
/// nodes, not a large empty box, and still shows every node.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ReadOnlyViewTests(BrowserFixture fixture)
{
    private static readonly string[] EditButtons = ["Undo", "Redo", "Copy", "Paste", "Auto-layout", "Import"];

    [Fact]
    public async Task A_viewer_is_offered_no_edit_hint_on_an_empty_canvas_in_the_toolbar_or_in_a_nodes_settings()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var empty = $"ro-empty-{tag}";
        var scripted = $"ro-script-{tag}";
        await CreateFlowAsync(empty, [Node("start", "start", y: 0)], []);
        await CreateFlowAsync(scripted, [
            Node("start", "start", y: 0),
            Node("run-script-1", "activity", y: 160, activity: "system.run-script",
                input: new JsonObject { ["systemId"] = DemoSite.AppSystem, ["script"] = DemoSite.ResumeScript, ["environment"] = new JsonObject { ["UDC_MODE"] = "quick" } }),
        ], [("start", "run-script-1")]);
        var user = $"viewer-{tag}";
        var password = await fixture.CreateUserAsync(user, "viewer");

        var page = await fixture.SignedInPageAsync($"/designer/{empty}", user, password);
        await Expect(Canvas.Node(page, "start")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("canvas-note")).ToHaveTextAsync("No steps yet: this draft has only its start node.");
        var toolbar = page.GetByRole(AriaRole.Toolbar, new() { Name = "Designer" });
        await Expect(toolbar.GetByRole(AriaRole.Button, new() { Name = "Fit", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Toggle Interactivity" })).ToHaveCountAsync(0);
        foreach (var name in EditButtons)
        {
            await Expect(toolbar.GetByRole(AriaRole.Button, new() { Name = name, Exact = true })).ToHaveCountAsync(0);
        }

        await Expect(page.GetByRole(AriaRole.Complementary, new() { Name = "Properties" })).ToContainTextAsync("Read-only");
        await Expect(page.Locator("section.designer")).Not.ToContainTextAsync(PaletteOrDrag());

        // A node's settings are shown as values, with nothing that offers to change them.
        var second = await fixture.SignedInPageAsync($"/designer/{scripted}", user, password);
        await Canvas.SelectAsync(second, "run-script-1");
        var properties = second.GetByRole(AriaRole.Complementary, new() { Name = "Properties" });
        await Expect(properties).ToContainTextAsync("Read-only");
        await Expect(properties.GetByLabel("variable 1 name")).ToHaveValueAsync("UDC_MODE");
        await Expect(properties.GetByLabel("variable 1 value")).ToHaveValueAsync("quick");
        await Expect(properties.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(properties).Not.ToContainTextAsync(new Regex("pick a (script|system)"));
        await Expect(properties.Locator("#input-agentEndpoint")).ToHaveAttributeAsync("placeholder", string.Empty);
        await Expect(second.Locator("section.designer")).Not.ToContainTextAsync(PaletteOrDrag());
        await Expect(second.GetByRole(AriaRole.Button, new() { Name = "Plan…" })).ToHaveAttributeAsync("title", "No version is published yet");
        await BrowserFixture.ScreenshotAsync(second, "designer-viewer");
    }

    [Fact]
    public async Task The_live_graph_of_a_two_step_run_is_as_tall_as_its_nodes_and_shows_both_fitted()
    {
        var id = $"web-small-{Guid.NewGuid():N}";
        using (var started = await fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", id, input = new { steps = 1, stepMillis = 100 } }))
        {
            started.IsSuccessStatusCode.Should().BeTrue(await started.Content.ReadAsStringAsync());
        }

        var page = await fixture.SignedInPageAsync($"/runs/{id}");
        await Expect(page.Locator(".page-header .badge[data-status='Completed']")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var graph = page.GetByTestId("live-graph");
        await Expect(graph.Locator(".lnode[data-state='done']")).ToHaveCountAsync(2, new() { Timeout = 60_000 });

        var fitted = await SettledAsync(page);
        fitted.Height.Should().BeLessThanOrEqualTo(240, "two steps side by side need a strip, not the 420 px box of a large run");
        fitted.Height.Should().BeGreaterThanOrEqualTo(160, "the box keeps room for its zoom buttons");
        fitted.NodesInside.Should().BeTrue("the view is fitted to the box: every node shows whole");

        // The fit button fits the nodes into the same box.
        await graph.Locator(".react-flow__controls-fitview").ClickAsync();
        var refitted = await SettledAsync(page);
        refitted.Height.Should().Be(fitted.Height);
        refitted.NodesInside.Should().BeTrue("the fit button fits every node into the box");
        await BrowserFixture.ScreenshotAsync(page, "run-detail-small");
    }

    private sealed record GraphBox(double Height, bool NodesInside);

    /// <summary>
    /// The live graph's height and whether every node lies inside it at a readable size, once the
    /// box has its content's height and the view is fitted (both follow the nodes' measuring, so
    /// this waits for the two to agree rather than for a time).
    /// </summary>
    private static async Task<GraphBox> SettledAsync(IPage page)
    {
        const string Measure =
            """
            () => {
              const g = document.querySelector('[data-testid=live-graph]').getBoundingClientRect();
              const nodes = [...document.querySelectorAll('[data-testid=live-graph] .lnode')].map(n => n.getBoundingClientRect());
              const inside = nodes.length > 0 && nodes.every(n => n.top >= g.top && n.bottom <= g.bottom && n.left >= g.left && n.right <= g.right && n.height >= 40);
              return [g.height, inside ? 1 : 0];
            }
            """;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var box = await page.EvaluateAsync<double[]>(Measure);
        while (!(box[1] == 1 && box[0] <= 240) && DateTime.UtcNow < deadline)
        {
            await page.WaitForFunctionAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))");
            box = await page.EvaluateAsync<double[]>(Measure);
        }

        return new GraphBox(box[0], box[1] == 1);
    }

    private static JsonObject Node(string id, string kind, int y, string? activity = null, JsonObject? input = null)
    {
        var node = new JsonObject { ["id"] = id, ["kind"] = kind, ["label"] = id, ["position"] = new JsonObject { ["x"] = 0, ["y"] = y } };
        if (activity is not null)
        {
            node["activity"] = activity;
            node["input"] = input;
        }

        return node;
    }

    /// <summary>Stores a flow's draft through the API (as admin), as the designer would.</summary>
    private async Task CreateFlowAsync(string id, JsonObject[] nodes, (string Source, string Target)[] edges)
    {
        var flow = new JsonObject
        {
            ["schema"] = "udc.flow/v1",
            ["id"] = id,
            ["name"] = $"Web test {id}",
            ["version"] = 0,
            ["state"] = "draft",
            ["nodes"] = new JsonArray([.. nodes]),
            ["edges"] = new JsonArray([.. edges.Select(e => (JsonNode)new JsonObject { ["id"] = $"e-{e.Source}-next-{e.Target}", ["source"] = e.Source, ["port"] = "next", ["target"] = e.Target })]),
        };
        using var created = await fixture.Server.Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = flow });
        created.IsSuccessStatusCode.Should().BeTrue($"POST /api/flows stores {id}: {await created.Content.ReadAsStringAsync()}");
    }

    [GeneratedRegex("palette|drag", RegexOptions.IgnoreCase)]
    private static partial Regex PaletteOrDrag();
}
