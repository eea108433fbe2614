using System.Collections.Concurrent;
using Microsoft.Playwright;
using UdcBackup.Testing;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// A controller before its first <c>udc site apply</c>, as an operator meets it on day one. The
/// test runs its own controller (the shared one has the demo site applied): the runs page says
/// that no site is applied and how to apply one, and no request of the signed-in pages fails, so
/// the browser's console stays free of errors ("no site yet" is a state, not a fault).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NoSiteTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Before_any_site_is_applied_the_pages_say_so_and_no_request_fails()
    {
        await using var server = await ServerProcess.StartAsync(environment: new Dictionary<string, string> { ["UDC_WEBROOT"] = RepoPaths.RequireBuiltWebApp() });
        var page = await fixture.NewPageAsync(server.BaseAddress);
        await page.GotoAsync("/runs");
        await BrowserFixture.SignInAsync(page, "admin", server.AdminPassword);

        // Counted from the signed-in app on: the sign-in page's own "who is signed in?" answers 401.
        var failures = new ConcurrentQueue<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                failures.Enqueue($"{response.Request.Method} {response.Url}: {response.Status}");
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                failures.Enqueue($"console: {message.Text}");
            }
        };

        await page.ReloadAsync();
        var notice = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "No site is applied yet" });
        await Expect(notice).ToContainTextAsync("udc site apply site.yaml");
        // No runs at all and no filter: the list says how a first run starts, not that filters hide runs.
        var runs = page.GetByRole(AriaRole.Table, new() { Name = "Runs" });
        await Expect(runs).ToContainTextAsync("No runs yet");
        await Expect(runs).ToContainTextAsync("udc backup start JOB");
        await Expect(runs).ToContainTextAsync("Start run");
        await Expect(runs).Not.ToContainTextAsync("filters");
        await BrowserFixture.ScreenshotAsync(page, "runs-no-site");
        await page.GetByLabel("Filter by status").SelectOptionAsync("Failed");
        await Expect(runs).ToContainTextAsync("No runs match these filters.");
        await Expect(runs).Not.ToContainTextAsync("No runs yet");

        // The designer's pickers read the site too; a new flow opens without a failed request.
        await page.GotoAsync("/designer");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "New flow" });
        await form.GetByLabel("Flow id").FillAsync("first-flow");
        await form.GetByLabel("Name").FillAsync("First flow");
        var siteRead = page.WaitForResponseAsync(r => r.Url.Contains("/api/systems", StringComparison.Ordinal) || r.Url.Contains("/api/site", StringComparison.Ordinal));
        await form.GetByRole(AriaRole.Button, new() { Name = "New flow" }).ClickAsync();
        await siteRead;
        await Expect(page.GetByTestId("palette-wait")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("save-state")).ToHaveTextAsync("saved");

        failures.Should().BeEmpty("a controller without a site is a state the pages show, not an error");
        await page.Context.CloseAsync();
    }
}
