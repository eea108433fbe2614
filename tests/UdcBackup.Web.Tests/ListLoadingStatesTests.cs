using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The schedules, flows and snapshots lists say they are loading while the controller's answer is
/// on its way (a slow controller), as the runs and users lists do: they showed a bare table head,
/// which reads as an empty list until the answer lands.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ListLoadingStatesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Schedules_flows_and_snapshots_say_loading_until_their_answer_arrives()
    {
        var page = await fixture.SignedInPageAsync("/runs");
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

        var schedules = await HoldAsync(page, new Regex(@"/api/live/schedules$"));
        await nav.GetByRole(AriaRole.Link, new() { Name = "Schedules" }).ClickAsync();
        var scheduleTable = page.GetByRole(AriaRole.Table, new() { Name = "Schedules" });
        await Expect(scheduleTable.Locator("tbody")).ToHaveTextAsync("Loading schedules…");
        schedules.SetResult();
        await Expect(scheduleTable.Locator($"tr[data-schedule-id='job-{DemoSite.Job}']")).ToBeVisibleAsync();
        await Expect(scheduleTable).Not.ToContainTextAsync("Loading schedules…");

        var flows = await HoldAsync(page, new Regex(@"/api/flows$"));
        await nav.GetByRole(AriaRole.Link, new() { Name = "Designer" }).ClickAsync();
        var flowTable = page.GetByRole(AriaRole.Table, new() { Name = "Flows" });
        await Expect(flowTable.Locator("tbody")).ToHaveTextAsync("Loading flows…");
        flows.SetResult();
        await Expect(flowTable).Not.ToContainTextAsync("Loading flows…");

        var snapshots = await HoldAsync(page, new Regex(@"/api/snapshots\?"));
        await nav.GetByRole(AriaRole.Link, new() { Name = "Snapshots" }).ClickAsync();
        var snapshotTable = page.GetByRole(AriaRole.Table, new() { Name = "Snapshots" });
        await Expect(snapshotTable.Locator("tbody")).ToHaveTextAsync(new Regex("^Loading snapshots of .+…$"));
        snapshots.SetResult();
        await page.GetByLabel("System", new() { Exact = true }).SelectOptionAsync(DemoSite.FilesSystem);
        await Expect(snapshotTable.Locator($"tr[data-snapshot-id='{DemoSite.SnapshotId}']")).ToBeVisibleAsync();
        await Expect(snapshotTable).Not.ToContainTextAsync("Loading");
        await page.Context.CloseAsync();
    }

    /// <summary>Holds every request matching <paramref name="url"/> until the returned source is set.</summary>
    private static async Task<TaskCompletionSource> HoldAsync(IPage page, Regex url)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(url, async route =>
        {
            await held.Task;
            await route.ContinueAsync();
        });
        return held;
    }
}
