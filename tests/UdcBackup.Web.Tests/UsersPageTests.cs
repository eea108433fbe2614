using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The Users page: an admin creates a user, changes its role, resets its password (the old one
/// stops working), disables it, lists and revokes its sign-in token, and deletes it; the last
/// admin's demotion is refused with the controller's message; an operator is not offered the page;
/// the admin's own session is marked "this browser" among several, as the controller marks it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UsersPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_admin_manages_a_user_from_creation_to_deletion()
    {
        var name = $"night-{Guid.NewGuid():N}"[..14];
        var page = await fixture.SignedInPageAsync("/runs");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "New user" });
        await form.GetByLabel("Name").FillAsync(name);
        await form.GetByLabel("Role").SelectOptionAsync("viewer");
        await form.GetByLabel("Password").FillAsync("first password 1");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(page.GetByText($"Created {name} (viewer).")).ToBeVisibleAsync();

        var row = page.Locator($"tr[data-user='{name}']");
        await row.GetByLabel($"Role of {name}").SelectOptionAsync("operator");
        await page.GetByRole(AriaRole.Dialog, new() { Name = $"Change the role of {name}" }).GetByRole(AriaRole.Button, new() { Name = $"Make {name} operator" }).ClickAsync();
        await Expect(page.GetByText($"{name} is now operator.")).ToBeVisibleAsync();

        // The user signs in once (a session token to list and revoke), then its password is reset.
        var userPage = await fixture.SignedInPageAsync("/runs", name, "first password 1");
        await Expect(userPage.GetByTestId("signed-in")).ToContainTextAsync("operator");
        await Expect(userPage.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Button, new() { Name = "Tokens" }).ClickAsync();
        var tokens = page.GetByRole(AriaRole.Region, new() { Name = $"Tokens of {name}" });
        await Expect(tokens.Locator("tr[data-token]")).ToHaveCountAsync(1);
        await Expect(tokens).ToContainTextAsync("session");
        await tokens.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke ", Exact = false }).ClickAsync();
        await Expect(tokens.GetByText("No tokens.")).ToBeVisibleAsync();
        await userPage.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Snapshots" }).ClickAsync();
        await Expect(userPage.GetByRole(AriaRole.Form, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Reset password…" }).ClickAsync();
        var reset = page.GetByRole(AriaRole.Form, new() { Name = $"New password for {name}" });
        await reset.GetByLabel("New password").FillAsync("second password 2");
        await reset.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await Expect(page.GetByText($"New password set for {name}")).ToBeVisibleAsync();
        var signIn = userPage.GetByRole(AriaRole.Form, new() { Name = "Sign in" });
        await signIn.GetByLabel("User").FillAsync(name);
        await signIn.GetByLabel("Password").FillAsync("first password 1");
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(signIn.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(row).ToContainTextAsync("disabled");
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete {name}" }).ClickAsync();
        await Expect(page.GetByText($"{name} is deleted.")).ToBeVisibleAsync();
        await Expect(row).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "users");

        await page.Locator("tr[data-user='admin']").GetByLabel("Role of admin").SelectOptionAsync("viewer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make admin viewer" }).ClickAsync();
        await Expect(page.GetByText("admin is the last enabled admin")).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-user='admin']").GetByLabel("Role of admin")).ToHaveValueAsync("admin");
    }

    [Fact]
    public async Task A_role_change_acts_only_once_confirmed_in_a_dialog_naming_the_user_and_both_roles()
    {
        var name = $"role-{Guid.NewGuid():N}"[..13];
        await fixture.CreateUserAsync(name, "viewer");
        var page = await fixture.SignedInPageAsync("/users");
        var row = page.Locator($"tr[data-user='{name}']");
        var role = row.GetByLabel($"Role of {name}");

        await role.SelectOptionAsync("operator");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Change the role of {name}" });
        await Expect(dialog).ToContainTextAsync($"Change {name} from viewer to operator?");
        await Expect(role).ToHaveValueAsync("viewer");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(role).ToHaveValueAsync("viewer");
        var users = await fixture.Server.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/users", UriKind.Relative));
        users.EnumerateArray().Single(u => u.GetProperty("user").GetString() == name).GetProperty("role").GetString().Should().Be("viewer");

        await role.SelectOptionAsync("operator");
        await dialog.GetByRole(AriaRole.Button, new() { Name = $"Make {name} operator" }).ClickAsync();
        await Expect(page.GetByText($"{name} is now operator.")).ToBeVisibleAsync();
        await Expect(role).ToHaveValueAsync("operator");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_token_is_revoked_only_once_confirmed_in_a_dialog_naming_it()
    {
        var name = $"tok-{Guid.NewGuid():N}"[..12];
        var password = await fixture.CreateUserAsync(name, "viewer");
        var userPage = await fixture.SignedInPageAsync("/runs", name, password);
        var page = await fixture.SignedInPageAsync("/users");
        await page.Locator($"tr[data-user='{name}']").GetByRole(AriaRole.Button, new() { Name = "Tokens" }).ClickAsync();
        var tokens = page.GetByRole(AriaRole.Region, new() { Name = $"Tokens of {name}" });
        var token = tokens.Locator("tr[data-token]");
        await Expect(token).ToHaveCountAsync(1);
        var id = await token.GetAttributeAsync("data-token");
        await Expect(tokens.GetByTestId("this-browser")).ToHaveCountAsync(0);

        await token.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Revoke token {id}" });
        await Expect(dialog).ToContainTextAsync($"Revoke the sign-in session {id} (sign-in) of {name}?");
        await Expect(dialog).Not.ToContainTextAsync("signs you out");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(token).ToHaveCountAsync(1);
        await userPage.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Snapshots" }).ClickAsync();
        await Expect(userPage.GetByTestId("signed-in")).ToContainTextAsync(name);

        await token.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = $"Revoke {id}" }).ClickAsync();
        await Expect(tokens.GetByText("No tokens.")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
        await userPage.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admins_own_only_session_is_marked_this_browser_and_revoking_it_says_it_signs_out()
    {
        var name = $"adm-{Guid.NewGuid():N}"[..12];
        var password = await fixture.CreateUserAsync(name, "admin");
        try
        {
            var page = await fixture.SignedInPageAsync("/users", name, password);
            await page.Locator($"tr[data-user='{name}']").GetByRole(AriaRole.Button, new() { Name = "Tokens" }).ClickAsync();
            var tokens = page.GetByRole(AriaRole.Region, new() { Name = $"Tokens of {name}" });
            var token = tokens.Locator("tr[data-token]");
            await Expect(token).ToHaveCountAsync(1);
            await Expect(token.GetByTestId("this-browser")).ToHaveTextAsync("this browser");

            await token.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToContainTextAsync("This is this browser's session: revoking it signs you out.");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke ", Exact = false }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Form, new() { Name = "Sign in" })).ToBeVisibleAsync();
            await page.Context.CloseAsync();
        }
        finally
        {
            // A second admin left behind would let other tests demote the first one.
            using var deleted = await fixture.Server.Http.DeleteAsync(new Uri($"/api/users/{name}", UriKind.Relative));
            deleted.IsSuccessStatusCode.Should().BeTrue(await deleted.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Among_several_sessions_of_the_admin_this_browsers_own_is_the_one_marked()
    {
        var name = $"two-{Guid.NewGuid():N}"[..12];
        var password = await fixture.CreateUserAsync(name, "admin");
        try
        {
            var other = await fixture.SignedInPageAsync("/runs", name, password);
            var page = await fixture.SignedInPageAsync("/users", name, password);
            await page.Locator($"tr[data-user='{name}']").GetByRole(AriaRole.Button, new() { Name = "Tokens" }).ClickAsync();
            var tokens = page.GetByRole(AriaRole.Region, new() { Name = $"Tokens of {name}" });
            await Expect(tokens.Locator("tr[data-token]")).ToHaveCountAsync(2);
            var mine = tokens.Locator("tr[data-token]", new() { Has = page.GetByTestId("this-browser") });
            await Expect(mine).ToHaveCountAsync(1);
            var otherSession = tokens.Locator("tr[data-token]", new() { HasNot = page.GetByTestId("this-browser") });
            var otherId = await otherSession.GetAttributeAsync("data-token");

            // The other browser's session is revoked without a sign-out warning, and only that browser is signed out.
            await otherSession.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Revoke token {otherId}" });
            await Expect(dialog).Not.ToContainTextAsync("signs you out");
            await dialog.GetByRole(AriaRole.Button, new() { Name = $"Revoke {otherId}" }).ClickAsync();
            await Expect(tokens.Locator("tr[data-token]")).ToHaveCountAsync(1);
            await Expect(mine).ToHaveCountAsync(1);
            await other.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Snapshots" }).ClickAsync();
            await Expect(other.GetByRole(AriaRole.Form, new() { Name = "Sign in" })).ToBeVisibleAsync();

            await mine.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("This is this browser's session: revoking it signs you out.");
            await page.Context.CloseAsync();
            await other.Context.CloseAsync();
        }
        finally
        {
            // A second admin left behind would let other tests demote the first one.
            using var deleted = await fixture.Server.Http.DeleteAsync(new Uri($"/api/users/{name}", UriKind.Relative));
            deleted.IsSuccessStatusCode.Should().BeTrue(await deleted.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_refused_new_user_keeps_what_was_typed_for_the_admin_to_correct()
    {
        var name = $"day-{Guid.NewGuid():N}"[..12];
        var page = await fixture.SignedInPageAsync("/users");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "New user" });
        await form.GetByLabel("Name").FillAsync("Day Operator");
        await form.GetByLabel("Password").FillAsync("day password 12");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();

        await Expect(page.GetByText("user 'Day Operator' is not a valid name")).ToBeVisibleAsync();
        await Expect(form.GetByLabel("Name")).ToHaveValueAsync("Day Operator");
        await Expect(form.GetByLabel("Password")).ToHaveValueAsync("day password 12");

        await form.GetByLabel("Name").FillAsync(name);
        await form.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(page.GetByText($"Created {name} (viewer).")).ToBeVisibleAsync();
        await Expect(form.GetByLabel("Name")).ToHaveValueAsync(string.Empty);
        await Expect(form.GetByLabel("Password")).ToHaveValueAsync(string.Empty);
    }

    [Fact]
    public async Task The_users_list_says_it_is_loading_until_the_controller_answers()
    {
        var page = await fixture.SignedInPageAsync("/runs");

        // The list's answer is held until the page was seen without it (a slow controller).
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/users", async route =>
        {
            await held.Task;
            await route.ContinueAsync();
        });
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        var users = page.GetByRole(AriaRole.Table, new() { Name = "Users" });
        await Expect(users.Locator("tbody")).ToHaveTextAsync("Loading users…");

        held.SetResult();
        await Expect(users.Locator("tr[data-user='admin']")).ToBeVisibleAsync();
        await Expect(users).Not.ToContainTextAsync("Loading users…");

        // A user's tokens, the same way.
        var tokensHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/users/admin/tokens", async route =>
        {
            await tokensHeld.Task;
            await route.ContinueAsync();
        });
        await users.Locator("tr[data-user='admin']").GetByRole(AriaRole.Button, new() { Name = "Tokens" }).ClickAsync();
        var tokens = page.GetByRole(AriaRole.Region, new() { Name = "Tokens of admin" });
        await Expect(tokens.Locator("tbody")).ToHaveTextAsync("Loading tokens…");
        tokensHeld.SetResult();
        await Expect(tokens.Locator("tr[data-token]").First).ToBeVisibleAsync();
        await Expect(tokens).Not.ToContainTextAsync("Loading tokens…");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task At_1280_wide_a_users_buttons_stand_apart_on_one_line()
    {
        var page = await fixture.SignedInPageAsync("/users");
        await page.SetViewportSizeAsync(1280, 800);
        var row = page.Locator("tr[data-user='admin']");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Delete…" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "users-1280");

        var problems = await row.EvaluateAsync<string[]>(
            """
            row => {
              const boxes = [...row.querySelectorAll('button')].map((b) => [b.textContent, b.getBoundingClientRect()]);
              const problems = [];
              for (let i = 1; i < boxes.length; i++) {
                const [name, r] = boxes[i];
                const [before, p] = boxes[i - 1];
                if (Math.round(r.top) !== Math.round(p.top)) problems.push(`${name} on another line than ${before}`);
                else if (r.left - p.right < 4) problems.push(`${before} and ${name} touch`);
              }
              return problems;
            }
            """);
        problems.Should().BeEmpty();
        await page.Context.CloseAsync();
    }
}
