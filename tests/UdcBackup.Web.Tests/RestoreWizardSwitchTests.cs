using Microsoft.Playwright;
using UdcBackup.Activities.Catalog;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// Restore… on another snapshot while the wizard is open starts the wizard again for that
/// snapshot: it stayed at the safeguards step with the other target and the approval ticked for
/// the snapshot before, one click from restoring a different snapshot onto another system.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RestoreWizardSwitchTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Restore_on_another_snapshot_while_the_wizard_is_open_starts_again_at_the_first_step_without_approval()
    {
        var other = $"snap-switch-{Guid.NewGuid():N}"[..20];
        var catalog = new SqliteSnapshotCatalog(Path.Combine(fixture.Server.DataDirectory, "catalog.db"));
        await catalog.AddAsync(new CatalogEntry(other, DemoSite.FilesSystem, DemoSite.Job, "incremental", DemoSite.MediaAgent, DemoSite.Repository, DateTimeOffset.UtcNow.AddHours(-2), 4096, 3));

        var page = await fixture.SignedInPageAsync("/snapshots");
        await page.GetByLabel("System", new() { Exact = true }).SelectOptionAsync(DemoSite.FilesSystem);
        await page.Locator($"tr[data-snapshot-id='{DemoSite.SnapshotId}']").GetByRole(AriaRole.Button, new() { Name = "Restore…" }).ClickAsync();
        var wizard = page.GetByRole(AriaRole.Region, new() { Name = "Restore wizard" });
        await wizard.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await wizard.GetByLabel("Target system").SelectOptionAsync(DemoSite.AppSystem);
        await wizard.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await wizard.GetByTestId("safeguards").GetByRole(AriaRole.Checkbox).CheckAsync();
        await Expect(wizard.GetByRole(AriaRole.Button, new() { Name = "Start restore" })).ToBeEnabledAsync();

        await page.Locator($"tr[data-snapshot-id='{other}']").GetByRole(AriaRole.Button, new() { Name = "Restore…" }).ClickAsync();
        await Expect(wizard.GetByText(other)).ToBeVisibleAsync();
        await Expect(wizard.GetByRole(AriaRole.Button, new() { Name = "Start restore" })).ToHaveCountAsync(0);
        await wizard.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(wizard.GetByLabel("Target system")).ToHaveValueAsync(DemoSite.FilesSystem);
        await wizard.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(wizard.GetByTestId("safeguards")).ToContainTextAsync("no approval needed");
    }
}
