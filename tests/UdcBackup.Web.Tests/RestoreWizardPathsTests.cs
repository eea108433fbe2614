using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The restore wizard restores selected paths (POST /api/restores <c>paths</c>): the operator could
/// only restore the snapshot's data sets whole from the browser. A path the controller refuses
/// shows its reason in the wizard, which keeps what was typed; a valid one reaches the run's input.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RestoreWizardPathsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_path_outside_the_data_sets_shows_the_controllers_refusal_and_keeps_the_typed_paths()
    {
        var (page, wizard) = await OpenWizardAsync();
        var paths = wizard.GetByLabel("Paths (optional)");
        await paths.FillAsync("/etc/passwd");
        await wizard.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(wizard.GetByTestId("restore-paths")).ToContainTextAsync("/etc/passwd");

        await wizard.GetByRole(AriaRole.Button, new() { Name = "Start restore" }).ClickAsync();
        await Expect(wizard).ToContainTextAsync($"path '/etc/passwd' is not inside a data set of {DemoSite.FilesSystem}");
        await Expect(wizard).ToContainTextAsync(HtdocsPath);
        await Expect(page).ToHaveURLAsync(new Regex("/snapshots"));
        await Expect(wizard.GetByRole(AriaRole.Button, new() { Name = "Start restore" })).ToBeEnabledAsync();

        await wizard.GetByRole(AriaRole.Button, new() { Name = "Back" }).ClickAsync();
        await Expect(paths).ToHaveValueAsync("/etc/passwd");
    }

    [Fact]
    public async Task A_path_inside_a_data_set_reaches_the_started_runs_input()
    {
        var selected = HtdocsPath + "/index.html";
        var (page, wizard) = await OpenWizardAsync();
        await wizard.GetByLabel("Paths (optional)").FillAsync($"  {selected}\n\n");
        await wizard.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(wizard.GetByTestId("restore-paths")).ToContainTextAsync(selected);

        await wizard.GetByRole(AriaRole.Button, new() { Name = "Start restore" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/runs/restore-{DemoSite.FilesSystem}-"));
        var runId = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath["/runs/".Length..]);
        using var run = JsonDocument.Parse(await fixture.Server.Http.GetStringAsync(new Uri($"/api/workflows/{Uri.EscapeDataString(runId)}", UriKind.Relative)));
        run.RootElement.GetProperty("input").GetProperty("paths").EnumerateArray().Select(p => p.GetString()).Should().Equal(selected);
    }

    /// <summary>The demo applies its site with this run's root in place of /var/lib/udc-demo.</summary>
    private string HtdocsPath => Path.Combine(fixture.Site.Root, "web-files", "htdocs");

    private async Task<(IPage Page, ILocator Wizard)> OpenWizardAsync()
    {
        var page = await fixture.SignedInPageAsync("/snapshots");
        await page.GetByLabel("System", new() { Exact = true }).SelectOptionAsync(DemoSite.FilesSystem);
        await page.Locator($"tr[data-snapshot-id='{DemoSite.SnapshotId}']").GetByRole(AriaRole.Button, new() { Name = "Restore…" }).ClickAsync();
        var wizard = page.GetByRole(AriaRole.Region, new() { Name = "Restore wizard" });
        await wizard.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        return (page, wizard);
    }
}
