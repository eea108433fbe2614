using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// Edit… on a second schedule while the editor is open for a first one edits the second's own
/// definition: the editor kept the first one's cron and input, and saving wrote them over the
/// second schedule (a site job's schedule lost its input).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScheduleEditorSwitchTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Edit_on_another_row_while_editing_shows_and_saves_that_schedules_own_cron_and_input()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var first = $"switch-a-{tag}";
        var second = $"switch-b-{tag}";
        await CreateAsync(first, "0 2 * * *", steps: 1);
        await CreateAsync(second, "15 5 * * 2", steps: 2);

        var page = await fixture.SignedInPageAsync("/schedules");
        await page.Locator($"tr[data-schedule-id='{first}']").GetByRole(AriaRole.Button, new() { Name = "Edit…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Form, new() { Name = $"Edit {first}" }).GetByLabel("Cron")).ToHaveValueAsync("0 2 * * *");

        await page.Locator($"tr[data-schedule-id='{second}']").GetByRole(AriaRole.Button, new() { Name = "Edit…" }).ClickAsync();
        var editor = page.GetByRole(AriaRole.Form, new() { Name = $"Edit {second}" });
        await Expect(editor.GetByLabel("Cron")).ToHaveValueAsync("15 5 * * 2");
        await Expect(editor.GetByLabel("Input (JSON)")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"steps\": 2"));
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{second} saved.");

        var saved = await fixture.Server.Http.GetFromJsonAsync<JsonObject>(new Uri($"/api/schedules/{second}", UriKind.Relative));
        saved!["cronExpressions"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("15 5 * * 2");
        saved["input"]!["steps"]!.GetValue<int>().Should().Be(2);
    }

    private async Task CreateAsync(string id, string cron, int steps)
    {
        using var created = await fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/schedules", UriKind.Relative),
            new { id, workflowType = "diag.steps", input = new { steps, stepMillis = 0 }, cron });
        created.IsSuccessStatusCode.Should().BeTrue(await created.Content.ReadAsStringAsync());
    }
}
