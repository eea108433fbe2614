using System.Net.Http.Json;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The panels a button opens in the page (Start run, Signal…, a schedule's Edit…, a snapshot's
/// Restore…) take the keyboard: the focus moves to their first field and Escape closes them as
/// their Close or Cancel does, giving the focus back to the button. They kept the focus on the
/// button and ignored Escape, so a keyboard operator tabbed through the page to reach them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InlinePanelKeyboardTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Start_run_focuses_the_workflow_type_and_Escape_closes_the_form()
    {
        var page = await fixture.SignedInPageAsync("/runs");
        var open = page.GetByRole(AriaRole.Button, new() { Name = "Start run" });
        await open.ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Start run" });
        await Expect(form.GetByLabel("Workflow type")).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Escape");
        await Expect(form).ToHaveCountAsync(0);
        await Expect(open).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Signal_focuses_the_panel_and_Escape_closes_it()
    {
        var id = $"web-escape-signal-{Guid.NewGuid():N}";
        using (var started = await fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", id, input = new { steps = 2, stepMillis = 600_000 } }))
        {
            started.IsSuccessStatusCode.Should().BeTrue(await started.Content.ReadAsStringAsync());
        }

        try
        {
            var page = await fixture.SignedInPageAsync($"/runs/{id}");
            var open = page.GetByRole(AriaRole.Button, new() { Name = "Signal…" });
            await Expect(open).ToBeEnabledAsync();
            await open.ClickAsync();
            // diag.steps takes no signals: the panel says so and its Close takes the focus.
            var panel = page.GetByRole(AriaRole.Region, new() { Name = "Signal" });
            await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToBeFocusedAsync();

            await page.Keyboard.PressAsync("Escape");
            await Expect(panel).ToHaveCountAsync(0);
            await Expect(open).ToBeFocusedAsync();
        }
        finally
        {
            using var cancelled = await fixture.Server.Http.PostAsJsonAsync(new Uri($"/api/workflows/{id}/cancel", UriKind.Relative), new { reason = "test done" });
        }
    }

    [Fact]
    public async Task Escape_closes_the_schedule_editor_and_the_restore_wizard()
    {
        var id = $"escape-web-{Guid.NewGuid():N}"[..24];
        using (var created = await fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/schedules", UriKind.Relative),
            new { id, workflowType = "diag.steps", input = new { steps = 1, stepMillis = 0 }, cron = "0 2 * * *" }))
        {
            created.IsSuccessStatusCode.Should().BeTrue(await created.Content.ReadAsStringAsync());
        }

        var page = await fixture.SignedInPageAsync("/schedules");
        var edit = page.Locator($"tr[data-schedule-id='{id}']").GetByRole(AriaRole.Button, new() { Name = "Edit…" });
        await edit.ClickAsync();
        var editor = page.GetByRole(AriaRole.Form, new() { Name = $"Edit {id}" });
        await Expect(editor.GetByLabel("Cron")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(editor).ToHaveCountAsync(0);
        await Expect(edit).ToBeFocusedAsync();

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Snapshots" }).ClickAsync();
        await page.GetByLabel("System", new() { Exact = true }).SelectOptionAsync(DemoSite.FilesSystem);
        var restore = page.Locator($"tr[data-snapshot-id='{DemoSite.SnapshotId}']").GetByRole(AriaRole.Button, new() { Name = "Restore…" });
        await restore.ClickAsync();
        var wizard = page.GetByRole(AriaRole.Region, new() { Name = "Restore wizard" });
        await Expect(wizard.GetByRole(AriaRole.Button, new() { Name = "Next" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(wizard).ToHaveCountAsync(0);
        await Expect(restore).ToBeFocusedAsync();
    }
}
