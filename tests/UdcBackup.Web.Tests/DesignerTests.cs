using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>The designer on the controller's flow store: a stored flow, server validation on the nodes, publish, history.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DesignerTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_sample_flow_imports_as_a_stored_draft_and_a_broken_try_names_its_node()
    {
        var page = await fixture.SignedInPageAsync("/designer");
        await page.GetByLabel("Import flow file").SetInputFilesAsync(Path.Combine(RepoPaths.Root, "web", "samples", "billing-nightly.flow.json"));
        await Expect(page).ToHaveURLAsync(new Regex("/designer/billing-nightly$"));
        await Expect(page.Locator(".react-flow__node")).ToHaveCountAsync(10);
        await Expect(page.GetByTestId("problem-count")).ToHaveTextAsync("valid");

        // Deleting the cleanup's first step breaks the try/finally: the error names the try node.
        await Canvas.SelectAsync(page, "start-programs-1");
        await page.Keyboard.PressAsync("Delete");
        await Expect(Canvas.Node(page, "start-programs-1")).ToHaveCountAsync(0);
        var problems = page.GetByRole(AriaRole.List, new() { Name = "Problems" });
        await Expect(problems.Locator("li[data-node='try-1']")).ToBeVisibleAsync();
        await Expect(Canvas.Node(page, "try-1").Locator(".fnode")).ToHaveClassAsync(new Regex(@"\binvalid\b"));
        await page.Keyboard.PressAsync("Control+z");
        await Expect(page.GetByTestId("problem-count")).ToHaveTextAsync("valid");
        await Expect(page.GetByTestId("save-state")).ToHaveTextAsync("saved");

        await page.GetByRole(AriaRole.Button, new() { Name = "Auto-layout" }).ClickAsync();
        await Expect(Canvas.Node(page, "try-1")).ToBeInViewportAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer-flow");
    }

    [Fact]
    public async Task Copy_paste_undo_and_redo_work_from_the_keyboard_and_the_draft_is_stored_by_the_controller()
    {
        var page = await NewFlowAsync($"keys-{Guid.NewGuid():N}"[..20]);
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

        // The draft is the controller's: once saved, a reload (or another browser) shows it.
        await Expect(page.GetByTestId("save-state")).ToHaveTextAsync("saved");
        await page.ReloadAsync();
        await Expect(waits).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Publishing_twice_then_rolling_back_makes_a_third_version_and_keeps_the_history()
    {
        var page = await NewFlowAsync($"hist-{Guid.NewGuid():N}"[..20]);
        await Canvas.SelectAsync(page, "start");
        await page.GetByTestId("palette-wait").ClickAsync();
        await PublishAsync(page, 1);

        await page.GetByLabel("duration").FillAsync("00:00:02");
        await PublishAsync(page, 2);

        await page.GetByRole(AriaRole.Toolbar, new() { Name = "Flow" }).GetByRole(AriaRole.Button, new() { Name = "History" }).ClickAsync();
        var versions = page.GetByRole(AriaRole.Table, new() { Name = "Versions" });
        await Expect(versions.Locator("tbody tr")).ToHaveCountAsync(2);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await versions.GetByRole(AriaRole.Button, new() { Name = "Roll back to v1" }).ClickAsync();
        await Expect(versions.Locator("tbody tr")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("published-version")).ToHaveTextAsync("published v3");
    }

    [Fact]
    public async Task At_1280_wide_the_history_dialog_shows_every_version_button_inside_it_on_one_line()
    {
        var page = await NewFlowAsync($"hlay-{Guid.NewGuid():N}"[..20]);
        await page.SetViewportSizeAsync(1280, 800);
        await Canvas.SelectAsync(page, "start");
        await page.GetByTestId("palette-wait").ClickAsync();
        await PublishAsync(page, 1);
        await page.GetByLabel("duration").FillAsync("00:00:02");
        await PublishAsync(page, 2);

        await page.GetByRole(AriaRole.Toolbar, new() { Name = "Flow" }).GetByRole(AriaRole.Button, new() { Name = "History" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "History of" });
        var versions = dialog.GetByRole(AriaRole.Table, new() { Name = "Versions" });
        await Expect(versions.GetByRole(AriaRole.Button, new() { Name = "Roll back to v1" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer-history-1280");

        // Nothing is cut off at the dialog's edge or scrolled sideways; a row's buttons sit side by side.
        (await dialog.EvaluateAsync<bool>("d => d.scrollWidth <= d.clientWidth")).Should().BeTrue("the versions table fits the dialog");
        var layout = await versions.EvaluateAsync<string[]>(
            """
            t => {
              const box = t.closest('[role=dialog]').getBoundingClientRect();
              const problems = [];
              for (const row of t.querySelectorAll('tbody tr')) {
                const buttons = [...row.querySelectorAll('button')].map((b) => [b.textContent, b.getBoundingClientRect()]);
                for (const [name, r] of buttons) if (r.right > box.right || r.left < box.left) problems.push(`${name} outside the dialog`);
                if (new Set(buttons.map(([, r]) => Math.round(r.top))).size > 1) problems.push(`buttons of ${row.dataset.version} on several lines`);
                const when = row.cells[1];
                const range = document.createRange();
                range.selectNodeContents(when);
                if (new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size > 1) problems.push(`published time of ${row.dataset.version} on several lines`);
              }
              return problems;
            }
            """);
        layout.Should().BeEmpty();
    }

    [Fact]
    public async Task New_flow_with_the_id_of_an_existing_flow_is_refused_and_its_draft_stays()
    {
        var id = $"taken-{Guid.NewGuid():N}"[..20];
        var page = await NewFlowAsync(id);
        await Canvas.SelectAsync(page, "start");
        await page.GetByTestId("palette-wait").ClickAsync();
        await Expect(page.GetByTestId("save-state")).ToHaveTextAsync("saved");

        await page.GetByRole(AriaRole.Button, new() { Name = "All flows" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "New flow" });
        await Expect(page.Locator($"tr[data-flow-id='{id}']")).ToBeVisibleAsync();
        await form.GetByLabel("Flow id").FillAsync(id);
        await Expect(form.GetByRole(AriaRole.Alert)).ToContainTextAsync($"A flow {id} exists already");
        await Expect(form.GetByRole(AriaRole.Button, new() { Name = "New flow" })).ToBeDisabledAsync();
        await form.GetByLabel("Flow id").PressAsync("Enter");

        await form.GetByRole(AriaRole.Link, new() { Name = "open it" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/designer/{id}$"));
        await Expect(page.Locator(".react-flow__node")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task A_dialog_takes_the_keyboard_focus_keeps_tab_inside_and_escape_closes_it_back_to_its_button()
    {
        var page = await NewFlowAsync($"keys-{Guid.NewGuid():N}"[..20]);
        var history = page.GetByRole(AriaRole.Toolbar, new() { Name = "Flow" }).GetByRole(AriaRole.Button, new() { Name = "History" });
        await history.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "History of" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToBeFocusedAsync();

        // More presses than the dialog has controls: the focus goes round inside it, both ways.
        foreach (var key in new[] { "Tab", "Tab", "Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab" })
        {
            await page.Keyboard.PressAsync(key);
            (await dialog.EvaluateAsync<bool>("d => d.contains(document.activeElement)")).Should().BeTrue($"the focus stays in the dialog after {key}");
        }

        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(history).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Copy_and_paste_keys_pressed_in_a_dialog_do_not_copy_the_node_selected_on_the_canvas_behind_it()
    {
        var page = await NewFlowAsync($"dkey-{Guid.NewGuid():N}"[..20]);
        await Canvas.SelectAsync(page, "start");
        await page.GetByTestId("palette-wait").ClickAsync();
        var nodes = page.Locator(".react-flow__node");
        await Expect(nodes).ToHaveCountAsync(2);
        await Expect(page.Locator(".react-flow__node.selected")).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Toolbar, new() { Name = "Flow" }).GetByRole(AriaRole.Button, new() { Name = "History" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "History of" });
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Control+c");
        await page.Keyboard.PressAsync("Control+v");
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);

        // The same keys on the canvas do paste: what was pressed in the dialog was not taken.
        await page.Keyboard.PressAsync("Control+v");
        await Expect(nodes).ToHaveCountAsync(2);
        await page.Keyboard.PressAsync("Control+c");
        await page.Keyboard.PressAsync("Control+v");
        await Expect(nodes).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task At_1280_wide_the_validity_badge_stays_on_the_toolbars_first_row()
    {
        var page = await NewFlowAsync($"tbar-{Guid.NewGuid():N}"[..20]);
        await page.SetViewportSizeAsync(1280, 800);
        var toolbar = page.GetByRole(AriaRole.Toolbar, new() { Name = "Designer" });
        // A new flow's start leads nowhere yet: the badge has its longer text.
        await Expect(page.GetByTestId("problem-count")).ToHaveTextAsync("1 problem");
        await Expect(page.GetByTestId("save-state")).ToHaveTextAsync("saved");
        await BrowserFixture.ScreenshotAsync(page, "designer-toolbar-1280");

        // The badge shares its row with the flow's id (the toolbar's first item), whatever wraps below it.
        var rows = await toolbar.EvaluateAsync<double[]>(
            """
            t => {
              const id = t.querySelector('[data-testid=flow-id]').getBoundingClientRect();
              const badge = t.querySelector('[data-testid=problem-count]').getBoundingClientRect();
              return [id.top + id.height / 2, badge.top, badge.bottom];
            }
            """);
        rows[0].Should().BeInRange(rows[1], rows[2], "the badge sits on the toolbar's first row, next to the flow it is about");
    }

    [Fact]
    public async Task A_viewer_is_told_the_flow_is_read_only_and_not_to_drag_from_a_palette_it_does_not_have()
    {
        var id = $"view-{Guid.NewGuid():N}"[..20];
        var admin = await NewFlowAsync(id);
        await Expect(admin.GetByRole(AriaRole.Complementary, new() { Name = "Properties" })).ToContainTextAsync("Drag activities from the palette");
        await Expect(admin.GetByTestId("save-state")).ToHaveTextAsync("saved");

        var user = $"viewer-{Guid.NewGuid():N}"[..16];
        var password = await fixture.CreateUserAsync(user, "viewer");
        var page = await fixture.SignedInPageAsync($"/designer/{id}", user, password);
        await Expect(Canvas.Node(page, "start")).ToBeVisibleAsync();
        var properties = page.GetByRole(AriaRole.Complementary, new() { Name = "Properties" });
        await Expect(properties).ToContainTextAsync("Read-only");
        await Expect(properties).Not.ToContainTextAsync("palette");
    }

    /// <summary>Creates a flow through the flows page and waits for the designer to open it.</summary>
    internal async Task<IPage> NewFlowAsync(string id)
    {
        var page = await fixture.SignedInPageAsync("/designer");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "New flow" });
        await form.GetByLabel("Flow id").FillAsync(id);
        await form.GetByLabel("Name").FillAsync($"Web test {id}");
        await form.GetByRole(AriaRole.Button, new() { Name = "New flow" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/designer/{id}$"));
        await Expect(Canvas.Node(page, "start")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Waits for a saved, valid draft, publishes it and waits for the version number.</summary>
    internal static async Task PublishAsync(IPage page, int version)
    {
        await Expect(page.GetByTestId("problem-count")).ToHaveTextAsync("valid");
        await Expect(page.GetByTestId("save-state")).ToHaveTextAsync("saved");
        var publish = page.GetByRole(AriaRole.Button, new() { Name = "Publish" });
        await Expect(publish).ToBeEnabledAsync();
        await publish.ClickAsync();
        await Expect(page.GetByTestId("published-version")).ToHaveTextAsync($"published v{version}");
    }
}
