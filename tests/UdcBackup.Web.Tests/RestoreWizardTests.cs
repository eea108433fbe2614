using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>The snapshots page and the restore wizard's safeguards and its folder to restore into, against the real catalog and restore endpoint.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RestoreWizardTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Restoring_onto_another_system_shows_the_owner_takes_a_folder_to_restore_into_and_needs_an_approval_before_it_starts()
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

        // Into a folder on the target: a relative one is refused here, an absolute one goes with the restore.
        var into = wizard.GetByLabel("Restore into folder");
        await into.FillAsync("restored/files");
        await Expect(wizard).ToContainTextAsync("must be an absolute path");
        await Expect(wizard.GetByRole(AriaRole.Button, new() { Name = "Next" })).ToBeDisabledAsync();
        await into.FillAsync("/srv/restored/files");
        await wizard.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(wizard.GetByTestId("restore-into")).ToContainTextAsync("below /srv/restored/files");

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
        var runId = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath["/runs/".Length..]);
        using var run = JsonDocument.Parse(await fixture.Server.Http.GetStringAsync(new Uri($"/api/workflows/{Uri.EscapeDataString(runId)}", UriKind.Relative)));
        run.RootElement.GetProperty("input").GetProperty("into").GetString().Should().Be("/srv/restored/files");
    }
}
