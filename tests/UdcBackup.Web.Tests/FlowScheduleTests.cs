using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The designer's schedule dialog against the real scheduler: the cron's human preview and next
/// firings as it is typed, the server's reason for a bad expression, the saved schedule's next
/// runs, the schedule in the schedules list, and the dialog reopening on the stored schedule.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FlowScheduleTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_published_flow_is_scheduled_with_a_previewed_cron_and_listed_with_its_next_runs()
    {
        var id = $"sched-{Guid.NewGuid():N}"[..20];
        var page = await new DesignerTests(fixture).NewFlowAsync(id);
        await Canvas.SelectAsync(page, "start");
        await page.GetByTestId("palette-wait").ClickAsync();
        await DesignerTests.PublishAsync(page, 1);

        var toolbar = page.GetByRole(AriaRole.Toolbar, new() { Name = "Flow" });
        await toolbar.GetByRole(AriaRole.Button, new() { Name = "Schedule…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Cron").FillAsync("61 * * * *");
        await Expect(dialog.Locator(".notice-error")).ToBeVisibleAsync();
        await Expect(dialog.GetByTestId("cron-preview")).ToHaveCountAsync(0);

        await dialog.GetByLabel("Cron").FillAsync("15 3 * * 2");
        var preview = dialog.GetByTestId("cron-preview");
        await Expect(preview).ToContainTextAsync("at 03:15, on Tuesday");
        await Expect(preview.Locator("li")).ToHaveCountAsync(5);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(dialog.GetByTestId("saved-next-runs").Locator("li")).ToHaveCountAsync(5);
        await BrowserFixture.ScreenshotAsync(page, "designer-schedule");

        // Listed with the schedules, with its next run, and the dialog reopens on it.
        await dialog.GetByRole(AriaRole.Link, new() { Name = $"flow-{id}" }).ClickAsync();
        var row = page.Locator($"tr[data-schedule-id='flow-{id}']");
        await Expect(row).ToContainTextAsync("cron 15 3 * * 2");
        await Expect(row.Locator("td").Nth(3).Locator("div").First).ToContainTextAsync(new Regex(@"in \d+ (d|h|min|s)"));
        await page.GoBackAsync();
        await page.GetByRole(AriaRole.Toolbar, new() { Name = "Flow" }).GetByRole(AriaRole.Button, new() { Name = "Schedule…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog).GetByTestId("current-schedule")).ToContainTextAsync("15 3 * * 2");
        await Expect(page.GetByRole(AriaRole.Dialog).GetByLabel("Cron")).ToHaveValueAsync("15 3 * * 2");
    }

    [Fact]
    public async Task A_refused_save_of_the_schedule_dialog_goes_once_the_cron_is_corrected()
    {
        var id = $"resched-{Guid.NewGuid():N}"[..20];
        var page = await new DesignerTests(fixture).NewFlowAsync(id);
        await Canvas.SelectAsync(page, "start");
        await page.GetByTestId("palette-wait").ClickAsync();
        await DesignerTests.PublishAsync(page, 1);

        await page.GetByRole(AriaRole.Toolbar, new() { Name = "Flow" }).GetByRole(AriaRole.Button, new() { Name = "Schedule…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByText("Loading the current schedule…")).ToHaveCountAsync(0);
        await dialog.GetByLabel("Cron").FillAsync("61 * * * *");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        // The preview's reason and the refused save's: two messages about the same expression.
        await Expect(dialog.Locator(".notice-error")).ToHaveCountAsync(2);

        await dialog.GetByLabel("Cron").FillAsync("15 3 * * 2");
        await Expect(dialog.GetByTestId("cron-preview")).ToContainTextAsync("at 03:15, on Tuesday");
        await Expect(dialog.Locator(".notice-error")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
