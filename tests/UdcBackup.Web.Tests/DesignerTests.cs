using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>The designer: the palette comes from the controller's catalogue, a dropped node validates as the user types.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DesignerTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_dropped_activity_reports_its_missing_required_input_until_it_is_filled()
    {
        var (activity, input, kind) = await ActivityWithRequiredInputAsync();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/designer");

        var entry = page.GetByTestId($"palette-{activity}");
        await Expect(entry).ToBeVisibleAsync();
        await entry.DragToAsync(page.GetByTestId("canvas"), new() { TargetPosition = new() { X = 500, Y = 420 } });

        // The dropped node is selected, so the properties panel shows its typed editors.
        var node = page.Locator(".fnode-activity");
        await Expect(node).ToHaveCountAsync(1);
        await Expect(node).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("invalid"));
        var field = page.Locator($".props .field[data-field='{input}']");
        var error = field.Locator(".field-error");
        await Expect(error).ToContainTextAsync("is required");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Problems" })).ToContainTextAsync($"{input} is required");

        await FillAsync(field, kind);
        await Expect(error).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Problems" })).Not.ToContainTextAsync($"{input} is required");

        // Connecting start's port to the node makes it reachable: that problem goes too.
        var nodeId = await node.GetAttributeAsync("data-node-id");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Problems" })).ToContainTextAsync("is not reachable from start");
        await page.Locator(".react-flow__node[data-id='start'] .react-flow__handle.source")
            .DragToAsync(page.Locator($".react-flow__node[data-id='{nodeId}'] .react-flow__handle.target"));
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Problems" })).Not.ToContainTextAsync("is not reachable from start");
        await BrowserFixture.ScreenshotAsync(page, "designer");
    }

    [Fact]
    public async Task The_sample_flow_imports_and_validates_against_the_real_catalogue()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/designer");
        await Expect(page.GetByTestId("palette-firewall.open-windows")).ToBeVisibleAsync();

        await page.Locator("input[type=file]").SetInputFilesAsync(Path.Combine(RepoPaths.Root, "web", "samples", "billing-nightly.flow.json"));
        await Expect(page.Locator(".react-flow__node")).ToHaveCountAsync(10);
        await Expect(page.GetByTestId("problem-count")).ToHaveTextAsync("valid");

        // Deleting the cleanup's first step breaks the try/finally: the error names the try node.
        // The import fits the view on the next animation frame; a click that lands before it can
        // hit the pane instead of the node, so click until the node is selected (at most 3 times).
        var node = page.Locator(".react-flow__node[data-id='start-programs-1']");
        for (var attempt = 0; attempt < 3 && !((await node.GetAttributeAsync("class")) ?? string.Empty).Contains("selected", StringComparison.Ordinal); attempt++)
        {
            await node.ClickAsync();
        }

        await Expect(node).ToHaveClassAsync(new Regex(@"\bselected\b"));
        await page.Keyboard.PressAsync("Delete");
        await Expect(node).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Problems" })).ToContainTextAsync("try-1 try needs a finally branch");
        await page.Keyboard.PressAsync("Control+z");
        await Expect(page.GetByTestId("problem-count")).ToHaveTextAsync("valid");

        await page.GetByRole(AriaRole.Button, new() { Name = "Auto-layout" }).ClickAsync();
        await Expect(page.Locator(".react-flow__node[data-id='try-1']")).ToBeInViewportAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer-flow");
    }

    [Fact]
    public async Task Copy_paste_undo_and_redo_work_from_the_keyboard()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/designer");
        var waits = page.Locator(".fnode-wait");

        await page.GetByTestId("palette-wait").ClickAsync();
        await Expect(waits).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("Control+c");
        await page.Keyboard.PressAsync("Control+v");
        await Expect(waits).ToHaveCountAsync(2);

        await page.Keyboard.PressAsync("Control+z");
        await Expect(waits).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("Control+z");
        await Expect(waits).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Control+Shift+z");
        await Expect(waits).ToHaveCountAsync(1);

        // Auto-layout keeps the nodes and the draft survives a reload (kept in the browser).
        await page.GetByRole(AriaRole.Button, new() { Name = "Auto-layout" }).ClickAsync();
        await Expect(waits).ToHaveCountAsync(1);
        await page.ReloadAsync();
        await Expect(waits).ToHaveCountAsync(1);
    }

    private static async Task FillAsync(ILocator field, string kind)
    {
        var value = kind.ToLowerInvariant() switch
        {
            "port" => "5555",
            "int" or "integer" or "number" => "1",
            "duration" => "00:00:05",
            "system" => "db-1",
            "script" => "check.sh",
            "json" => "{}",
            _ => "value",
        };
        await field.Locator("input, textarea").First.FillAsync(value);
    }

    // The test uses whichever catalogue activity has a required text-like or number input, so it
    // follows the catalogue instead of hard-coding an activity that may be renamed.
    private async Task<(string Activity, string Input, string Kind)> ActivityWithRequiredInputAsync()
    {
        using var response = await fixture.Server.Http.GetAsync(new Uri("/api/activities", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.OK, "the designer's palette is generated from GET /api/activities");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var activity in doc.RootElement.EnumerateArray())
        {
            foreach (var input in activity.GetProperty("inputs").EnumerateArray())
            {
                var kind = input.GetProperty("kind").ToString();
                if (input.GetProperty("required").GetBoolean() && !string.Equals(kind, "bool", StringComparison.OrdinalIgnoreCase))
                {
                    return (activity.GetProperty("name").GetString()!, input.GetProperty("name").GetString()!, kind);
                }
            }
        }

        throw new InvalidOperationException("No activity in GET /api/activities declares a required input; the designer test needs one.");
    }
}
