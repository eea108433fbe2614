using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// Two people on one flow: a save or import that would replace the other's newer draft is refused
/// by the controller, and the page says who saved it and when, keeping the refused work on screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FlowSaveConflictTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_save_over_a_newer_draft_names_who_saved_it_and_keeps_the_canvas()
    {
        var id = $"clash-{Guid.NewGuid():N}"[..16];
        var other = $"ops-{Guid.NewGuid():N}"[..12];
        var password = await fixture.CreateUserAsync(other, "operator");
        var mine = await new DesignerTests(fixture).NewFlowAsync(id);
        var theirs = await fixture.SignedInPageAsync($"/designer/{id}", other, password);
        await Expect(Canvas.Node(theirs, "start")).ToBeVisibleAsync();

        await theirs.GetByTestId("palette-wait").ClickAsync();
        await Expect(theirs.GetByTestId("save-state")).ToHaveTextAsync("saved");
        await mine.GetByTestId("palette-approval").ClickAsync();

        await Expect(mine.GetByTestId("save-state")).ToHaveTextAsync("not saved: conflict");
        await Expect(mine.GetByText(new Regex($"Not saved: {other} changed this flow at .+ \\(now draft r2; your changes start from r1\\)\\. Your canvas is kept"))).ToBeVisibleAsync();
        await Expect(mine.Locator(".fnode-approval")).ToHaveCountAsync(1);
        await Expect(mine.Locator(".fnode-wait")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Importing_a_file_whose_flow_exists_asks_before_replacing_its_draft()
    {
        var id = $"twice-{Guid.NewGuid():N}"[..16];
        await new DesignerTests(fixture).NewFlowAsync(id);
        var file = Path.Combine(Path.GetTempPath(), $"{id}.flow.json");
        await File.WriteAllTextAsync(file, $$$"""
            {"schema": "udc.flow/v1", "id": "{{{id}}}", "name": "Imported {{{id}}}", "version": 0, "state": "draft",
             "nodes": [{"id": "start", "kind": "start", "label": "start", "position": {"x": 0, "y": 0}}], "edges": []}
            """);
        try
        {
            var page = await fixture.SignedInPageAsync("/designer");
            await page.GetByLabel("Import flow file").SetInputFilesAsync(file);

            await Expect(page.GetByText(new Regex($"{id}\\.flow\\.json was not imported: flow {id} exists already \\(draft r1, saved by admin at "))).ToBeVisibleAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/designer$"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace its draft with the file" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/designer/{id}$"));
            await Expect(page.GetByText("draft r2")).ToBeVisibleAsync();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
