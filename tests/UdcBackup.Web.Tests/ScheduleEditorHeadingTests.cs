using System.Net.Http.Json;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The schedule editor opens above the table, away from the row whose Edit… opened it: it names
/// the schedule it changes and what that starts, and comes into sight with its first field
/// focused, instead of a bare cron field opening out of sight above a long list.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScheduleEditorHeadingTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_schedule_editor_opened_from_the_last_row_names_its_schedule_in_sight_with_the_cron_focused()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 6; i++)
        {
            using var created = await fixture.Server.Http.PostAsJsonAsync(
                new Uri("/api/schedules", UriKind.Relative),
                new { id = $"named-{tag}-{i}", workflowType = "diag.steps", input = new { steps = 1, stepMillis = 0 }, cron = "0 3 * * *" });
            created.IsSuccessStatusCode.Should().BeTrue(await created.Content.ReadAsStringAsync());
        }

        var page = await fixture.SignedInPageAsync("/schedules");
        await page.SetViewportSizeAsync(1280, 500);
        await Expect(page.Locator($"tr[data-schedule-id^='named-{tag}-']")).ToHaveCountAsync(6);
        var last = page.GetByRole(AriaRole.Table, new() { Name = "Schedules" }).Locator("tbody tr").Last;
        var id = await last.GetAttributeAsync("data-schedule-id");
        var workflow = await last.Locator("td").Nth(1).TextContentAsync();
        await last.GetByRole(AriaRole.Button, new() { Name = "Edit…" }).ClickAsync();

        var editor = page.GetByRole(AriaRole.Form, new() { Name = $"Edit {id}" });
        await Expect(editor.GetByRole(AriaRole.Heading)).ToHaveTextAsync($"Edit schedule {id} starts {workflow}");
        await Expect(editor.GetByRole(AriaRole.Heading)).ToBeInViewportAsync();
        await Expect(editor.Locator("input").First).ToBeFocusedAsync();
        await BrowserFixture.ScreenshotAsync(page, "schedule-editor-from-last-row");
    }
}
