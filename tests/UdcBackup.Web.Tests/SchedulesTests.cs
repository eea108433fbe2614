using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>The schedules page: next runs, pause with a note, unpause and trigger against the real scheduler.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SchedulesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_schedule_shows_its_next_runs_and_can_be_paused_with_a_note_resumed_and_triggered()
    {
        var id = $"web-sched-{Guid.NewGuid():N}"[..24];
        using (var created = await fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/schedules", UriKind.Relative),
            new { id, workflowType = "diag.steps", input = new { steps = 1, stepMillis = 0 }, cron = "0 3 * * *" }))
        {
            created.IsSuccessStatusCode.Should().BeTrue(await created.Content.ReadAsStringAsync());
        }

        var page = await fixture.SignedInPageAsync("/schedules");
        var row = page.Locator($"tr[data-schedule-id='{id}']");
        await Expect(row).ToContainTextAsync("cron 0 3 * * *");
        // The next firing, with how far away it is (03:00 UTC is always within a day).
        await Expect(row.Locator("td").Nth(3).Locator("div").First).ToContainTextAsync(new Regex(@"in \d+ (h|min|s)"));
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Active");

        page.Dialog += (_, dialog) => dialog.AcceptAsync("storage maintenance");
        await row.GetByRole(AriaRole.Button, new() { Name = "Pause…" }).ClickAsync();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Paused");
        await Expect(row).ToContainTextAsync("storage maintenance");

        await row.GetByRole(AriaRole.Button, new() { Name = "Unpause" }).ClickAsync();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Active");

        await row.GetByRole(AriaRole.Button, new() { Name = "Trigger now" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(new Regex($"{id}: Started"));
        await Expect(row.Locator("td").Nth(4)).ToContainTextAsync(id);

        // An admin edits the cron; the preview reads the new expression before it is saved.
        await row.GetByRole(AriaRole.Button, new() { Name = "Edit…" }).ClickAsync();
        var editor = page.GetByRole(AriaRole.Form, new() { Name = $"Edit {id}" });
        await editor.GetByLabel("Cron").FillAsync("30 4 * * 1");
        var preview = editor.GetByTestId("cron-preview");
        await Expect(preview.Locator("li")).ToHaveCountAsync(5);
        await Expect(preview).ToContainTextAsync(new Regex("04:30|4:30"));
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(row).ToContainTextAsync("cron 30 4 * * 1");
        await Expect(row.Locator("td").Nth(4)).ToContainTextAsync(id);  // saved in place: the triggered run is still listed
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Active");
    }
}
