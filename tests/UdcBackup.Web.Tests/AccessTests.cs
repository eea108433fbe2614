using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>Sign-in, sign-out, and what each role is offered; the server enforces the same rules.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_wrong_password_is_refused_and_after_sign_out_every_page_asks_to_sign_in_again()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/schedules");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Sign in" });
        await form.GetByLabel("User").FillAsync("admin");
        await form.GetByLabel("Password").FillAsync("not-the-password");
        await form.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();

        await BrowserFixture.SignInAsync(page, "admin", fixture.Server.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Schedules" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in")).ToContainTextAsync("admin");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Form, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GotoAsync("/runs");
        await Expect(page.GetByRole(AriaRole.Form, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_session_that_ends_while_a_page_is_open_returns_to_the_sign_in_page()
    {
        var page = await fixture.SignedInPageAsync("/designer");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Flows" })).ToBeVisibleAsync();

        // The cookie disappears (expired, or signed out elsewhere): the next API call gets a 401.
        await page.Context.ClearCookiesAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Snapshots" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Form, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Your session ended")).ToBeVisibleAsync();
        await BrowserFixture.SignInAsync(page, "admin", fixture.Server.AdminPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/snapshots$"));
    }

    [Fact]
    public async Task A_viewer_sees_runs_flows_and_schedules_but_no_action_it_may_not_take()
    {
        var user = $"viewer-{Guid.NewGuid():N}"[..16];
        var password = await fixture.CreateUserAsync(user, "viewer");
        var page = await fixture.SignedInPageAsync("/runs", user, password);
        await Expect(page.GetByTestId("signed-in")).ToContainTextAsync("viewer");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Runs" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start run" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Designer" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Flows" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Form, new() { Name = "New flow" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Schedules" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Schedules" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Trigger now" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit…" })).ToHaveCountAsync(0);
    }
}
