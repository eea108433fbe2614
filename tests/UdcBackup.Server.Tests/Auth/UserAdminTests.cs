using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>
/// An admin changes a user's role (effective at its next request; never demoting the last enabled
/// admin) and resets its password (the old one and the old sign-in session stop working, its API
/// tokens keep working); nobody else may do either.
/// </summary>
public sealed class UserAdminTests : IClassFixture<SharedServerFixture>
{
    private readonly ServerProcess _server;

    public UserAdminTests(SharedServerFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task A_role_change_applies_at_the_next_request_and_the_last_admin_cannot_be_demoted()
    {
        using var client = await _server.SignedInAsync("promoted", "viewer");
        using (var before = await client.PostAsJsonAsync(new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", input = new { steps = 1, stepMillis = 1 } }))
        {
            before.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        using (var changed = await _server.Http.PutAsJsonAsync(new Uri("/api/users/promoted/role", UriKind.Relative), new { role = "operator" }))
        {
            changed.StatusCode.Should().Be(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
            JsonDocument.Parse(await changed.Content.ReadAsStringAsync()).RootElement.GetProperty("role").GetString().Should().Be("operator");
        }

        using (var after = await client.PostAsJsonAsync(new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", input = new { steps = 1, stepMillis = 1 } }))
        {
            after.StatusCode.Should().Be(HttpStatusCode.Created, "the same session now acts as an operator");
        }

        using (var self = await client.PutAsJsonAsync(new Uri("/api/users/promoted/role", UriKind.Relative), new { role = "admin" }))
        {
            await self.ProblemAsync(HttpStatusCode.Forbidden);
        }

        using (var bad = await _server.Http.PutAsJsonAsync(new Uri("/api/users/promoted/role", UriKind.Relative), new { role = "root" }))
        {
            (await bad.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString().Should().Contain("role 'root' is not a role");
        }

        using (var last = await _server.Http.PutAsJsonAsync(new Uri("/api/users/admin/role", UriKind.Relative), new { role = "viewer" }))
        {
            (await last.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString().Should().Contain("last enabled admin");
        }

        (await _server.Http.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, "the admin kept its role");
        using var missing = await _server.Http.PutAsJsonAsync(new Uri("/api/users/nobody-here/role", UriKind.Relative), new { role = "viewer" });
        await missing.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_password_reset_ends_sign_in_sessions_and_the_old_password_but_keeps_api_tokens()
    {
        using var session = await _server.SignedInAsync("forgetful", "operator");
        using var created = await _server.Http.PostAsJsonAsync(new Uri("/api/users/forgetful/tokens", UriKind.Relative), new { label = "script" });
        var token = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;

        using (var tooShort = await _server.Http.PostAsJsonAsync(new Uri("/api/users/forgetful/password", UriKind.Relative), new { password = "short" }))
        {
            await tooShort.ProblemAsync(HttpStatusCode.BadRequest);
        }

        using (var reset = await _server.Http.PostAsJsonAsync(new Uri("/api/users/forgetful/password", UriKind.Relative), new { password = "a brand new passphrase" }))
        {
            reset.StatusCode.Should().Be(HttpStatusCode.NoContent, await reset.Content.ReadAsStringAsync());
        }

        (await session.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the sign-in session ended with the old password");
        using (var api = _server.CreateClient(token))
        {
            (await api.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, "API tokens are revoked one by one, not by a password reset");
        }

        using var anonymous = _server.CreateClient();
        (await anonymous.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "forgetful", password = Accounts.Password })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await _server.LoginAsync("forgetful", "a brand new passphrase");
    }

    [Fact]
    public async Task An_admin_cannot_delete_or_disable_the_account_it_is_signed_in_with_another_admin_can()
    {
        using var self = await _server.SignedInAsync("leaving-admin", "admin");

        using (var deleted = await self.DeleteAsync(new Uri("/api/users/leaving-admin", UriKind.Relative)))
        {
            (await deleted.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString().Should().Contain("the account this request is signed in with").And.Contain("deleted by another admin");
        }

        using (var disabled = await self.PostAsync(new Uri("/api/users/leaving-admin/disable", UriKind.Relative), null))
        {
            (await disabled.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString().Should().Contain("disabled by another admin");
        }

        (await self.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, "the refused requests changed nothing");
        using var byAnother = await _server.Http.DeleteAsync(new Uri("/api/users/leaving-admin", UriKind.Relative));
        byAnother.StatusCode.Should().Be(HttpStatusCode.NoContent, await byAnother.Content.ReadAsStringAsync());
    }
}
