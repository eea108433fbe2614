using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>The snapshots page and the restore wizard's safeguards against the real catalog and restore endpoint.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RestoreWizardTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Restoring_onto_another_system_shows_the_owner_and_needs_an_approval_before_it_starts()
    {
        var page = await fixture.SignedInPageAsync("/snapshots");
        await page.GetByLabel("System", new() { Exact = true }).SelectOptionAsync(DemoSite.FilesSystem);
        var row = page.Locator($"tr[data-snapshot-id='{DemoSite.SnapshotId}']");
        await Expect(row).ToContainTextAsync("full");
        await row.GetByRole(AriaRole.Button, new() { Name = "Restore…" }).ClickAsync();

        var wizard = page.GetByRole(AriaRole.Region, new() { Name = "Restore wizard" });
        await Expect(wizard.GetByTestId("owner-system")).ToHaveTextAsync(DemoSite.FilesSystem);
        await wizard.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await wizard.GetByLabel("Target system").SelectOptionAsync(DemoSite.AppSystem);
        await wizard.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();

        // The safeguards: the owner, the approval requirement, and who approves.
        var safeguards = wizard.GetByTestId("safeguards");
        await Expect(safeguards).ToContainTextAsync($"Owner system: {DemoSite.FilesSystem}");
        await Expect(safeguards).ToContainTextAsync("Approval needed");
        await Expect(safeguards).ToContainTextAsync("records admin as the approver");
        var start = wizard.GetByRole(AriaRole.Button, new() { Name = "Start restore" });
        await Expect(start).ToBeDisabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "restore-wizard");

        await safeguards.GetByRole(AriaRole.Checkbox).CheckAsync();
        await start.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/runs/restore-{DemoSite.AppSystem}-"));
        await Expect(page.Locator(".page-header h1")).ToContainTextAsync($"restore-{DemoSite.AppSystem}-");
    }
}
