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
    public async Task At_1280_wide_a_schedule_row_keeps_its_cron_and_buttons_on_one_line_each_within_the_page()
    {
        var id = $"nightly-web-{Guid.NewGuid():N}"[..24];
        using (var created = await fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/schedules", UriKind.Relative),
            new { id, workflowType = "diag.steps", input = new { steps = 1, stepMillis = 0 }, cron = "0 2 * * *" }))
        {
            created.IsSuccessStatusCode.Should().BeTrue(await created.Content.ReadAsStringAsync());
        }

        var page = await fixture.SignedInPageAsync("/schedules");
        await page.SetViewportSizeAsync(1280, 800);
        var row = page.Locator($"tr[data-schedule-id='{id}']");
        await Expect(row).ToContainTextAsync("cron 0 2 * * *");
        await BrowserFixture.ScreenshotAsync(page, "schedules-1280");

        (await LinesAsync(row.Locator("td").Nth(2), "cron 0 2 * * *")).Should().Be(1, "a cron expression is read on one line");
        (await LinesAsync(row.GetByRole(AriaRole.Button, new() { Name = "Trigger now" }), "Trigger now")).Should().Be(1, "a button's label does not wrap");
        (await page.GetByRole(AriaRole.Table, new() { Name = "Schedules" }).EvaluateAsync<bool>("t => t.getBoundingClientRect().right <= t.parentElement.getBoundingClientRect().right + 1"))
            .Should().BeTrue("the table stays within the page");
    }

    /// <summary>How many lines the text node of <paramref name="element"/> holding <paramref name="text"/> takes on screen.</summary>
    private static Task<int> LinesAsync(ILocator element, string text) =>
        element.EvaluateAsync<int>(
            """
            (el, text) => {
              const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
              for (let n = walk.nextNode(); n; n = walk.nextNode()) {
                if (!n.textContent.includes(text)) continue;
                const range = document.createRange();
                range.selectNodeContents(n);
                return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
              }
              return -1;
            }
            """,
            text);

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

    [Fact]
    public async Task A_refusal_of_the_schedule_editor_goes_once_the_field_it_was_about_is_corrected()
    {
        var (page, editor) = await EditIntervalScheduleAsync();
        var input = editor.GetByLabel("Input (JSON)");
        await input.FillAsync("""{"steps": "x"}""");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(editor.GetByRole(AriaRole.Alert)).ToContainTextAsync("steps takes a whole number");

        // Corrected, not yet saved: the refusal of the old input no longer stands under the new one.
        await input.FillAsync("""{"steps": 1, "stepMillis": 0}""");
        await Expect(editor.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_interval_that_is_not_a_time_span_is_explained_in_the_editor_and_not_sent()
    {
        var (page, editor) = await EditIntervalScheduleAsync();
        var interval = editor.GetByLabel("Interval");
        var save = editor.GetByRole(AriaRole.Button, new() { Name = "Save schedule" });
        await interval.FillAsync("10 minutes");
        await Expect(editor.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Every takes hh:mm:ss, or d.hh:mm:ss for days (e.g. 00:10:00 for ten minutes); \"10 minutes\" is not one.");
        await Expect(save).ToBeDisabledAsync();
        await interval.FillAsync("00:75:00");
        await Expect(editor.GetByRole(AriaRole.Alert)).ToContainTextAsync("minutes and seconds up to 59");
        await Expect(save).ToBeDisabledAsync();

        await interval.FillAsync("00:20:00");
        await Expect(editor.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await save.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved.");
        await page.Context.CloseAsync();
    }

    /// <summary>Creates a schedule that fires every 10 minutes and opens its editor on the schedules page.</summary>
    private async Task<(IPage Page, ILocator Editor)> EditIntervalScheduleAsync()
    {
        var id = $"web-every-{Guid.NewGuid():N}"[..24];
        using (var created = await fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/schedules", UriKind.Relative),
            new { id, workflowType = "diag.steps", input = new { steps = 1, stepMillis = 0 }, interval = "00:10:00" }))
        {
            created.IsSuccessStatusCode.Should().BeTrue(await created.Content.ReadAsStringAsync());
        }

        var page = await fixture.SignedInPageAsync("/schedules");
        var row = page.Locator($"tr[data-schedule-id='{id}']");
        await row.GetByRole(AriaRole.Button, new() { Name = "Edit…" }).ClickAsync();
        var editor = page.GetByRole(AriaRole.Form, new() { Name = $"Edit {id}" });
        await Expect(editor.GetByLabel("Interval")).ToHaveValueAsync("00:10:00");
        return (page, editor);
    }
}
