using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// A live view the controller refuses says why, in the controller's words: a run page opened with
/// an id no run has (mistyped, or a link to a pruned run) named no cause but a refused live update.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RefusedLiveViewTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_run_page_for_an_id_no_run_has_says_there_is_no_such_run()
    {
        var id = $"no-such-run-{Guid.NewGuid():N}";
        var page = await fixture.SignedInPageAsync($"/runs/{id}");

        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToHaveTextAsync($"No workflow execution with id '{id}'.");
        await Expect(page.GetByText("Live updates refused")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "run-detail-unknown-id");
    }
}
