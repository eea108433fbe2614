using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// Enter in a one-line field submits the form it is in, as the form's button does: the start-run,
/// signal and schedule editor forms ignored it, so a keyboard operator's Enter did nothing. (A
/// signal name is typed only when the controller does not list the run's signals.)
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EnterSubmitsFormsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Enter_in_the_workflow_id_field_starts_the_run()
    {
        var id = $"web-enter-{Guid.NewGuid():N}";
        var page = await fixture.SignedInPageAsync("/runs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await page.GetByLabel("Workflow type").SelectOptionAsync("diag.steps");
        await page.GetByLabel("Input (JSON, optional)").FillAsync("{\"steps\": 1, \"stepMillis\": 0}");
        await page.GetByLabel("Workflow id (optional)").FillAsync(id);
        await page.GetByLabel("Workflow id (optional)").PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex($"/runs/{id}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = id })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Enter_in_a_typed_signal_name_sends_the_signal()
    {
        var id = $"web-enter-signal-{Guid.NewGuid():N}";
        using (var started = await fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", id, input = new { steps = 2, stepMillis = 600_000 } }))
        {
            started.IsSuccessStatusCode.Should().BeTrue(await started.Content.ReadAsStringAsync());
        }

        try
        {
            var page = await fixture.SignedInPageAsync($"/runs/{id}");
            // A controller that answers bare type names does not say which signals a type takes: the name is typed.
            await page.RouteAsync(new Regex(@"/api/workflow-types\?signals=true$"), route => route.FulfillAsync(new()
            {
                ContentType = "application/json",
                Body = """["backup.refused", "diag.steps", "flow"]""",
            }));
            var signal = page.GetByRole(AriaRole.Button, new() { Name = "Signal…" });
            await Expect(signal).ToBeEnabledAsync();
            await signal.ClickAsync();
            var name = page.GetByLabel("Signal name");
            await Expect(name).ToHaveValueAsync(string.Empty);
            await name.FillAsync("note");
            await name.PressAsync("Enter");

            // diag.steps takes no signals: the controller's answer to the sent signal is its refusal.
            await Expect(page.GetByRole(AriaRole.Alert))
                .ToContainTextAsync("Workflow type 'diag.steps' has no signal 'note'.");
        }
        finally
        {
            using var cancelled = await fixture.Server.Http.PostAsJsonAsync(new Uri($"/api/workflows/{id}/cancel", UriKind.Relative), new { reason = "test done" });
        }
    }

    [Fact]
    public async Task Enter_in_the_cron_field_of_the_schedule_editor_saves_it()
    {
        var id = $"enter-web-{Guid.NewGuid():N}"[..24];
        using (var created = await fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/schedules", UriKind.Relative),
            new { id, workflowType = "diag.steps", input = new { steps = 1, stepMillis = 0 }, cron = "0 2 * * *" }))
        {
            created.IsSuccessStatusCode.Should().BeTrue(await created.Content.ReadAsStringAsync());
        }

        var page = await fixture.SignedInPageAsync("/schedules");
        var row = page.Locator($"tr[data-schedule-id='{id}']");
        await row.GetByRole(AriaRole.Button, new() { Name = "Edit…" }).ClickAsync();
        var editor = page.GetByRole(AriaRole.Form, new() { Name = $"Edit {id}" });
        await editor.GetByLabel("Cron").FillAsync("30 4 * * 1");
        await editor.GetByLabel("Cron").PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{id} saved.");
        await Expect(row).ToContainTextAsync("cron 30 4 * * 1");
        await Expect(editor).ToHaveCountAsync(0);
    }
}
