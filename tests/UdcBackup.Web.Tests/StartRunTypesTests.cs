using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The Start run form offers only the workflow types an operator may start by hand: it listed the
/// controller's internal backup.refused, which the controller then refused to start.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StartRunTypesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Start_run_offers_startable_types_only_while_the_type_filter_keeps_every_type()
    {
        var page = await fixture.SignedInPageAsync("/runs");
        await Expect(page.GetByLabel("Filter by type").Locator("option[value='backup.refused']")).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();

        var types = page.GetByLabel("Workflow type");
        await Expect(types.Locator("option", new() { HasText = "diag.steps" })).ToHaveCountAsync(1);
        await Expect(types.Locator("option", new() { HasText = "backup.refused" })).ToHaveCountAsync(0);
    }
}
