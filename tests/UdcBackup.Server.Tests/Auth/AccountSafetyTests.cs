using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Server.Auth;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>
/// Account safety on a real controller process: repeated wrong passwords lock sign-in with a 429
/// problem (even for the right password) and audit rows; tokens are listed without secrets and a
/// revoked one is refused at once, ending a live stream already open with it; a disabled or
/// deleted user's cookie session is refused on its next request; the last admin stays; the CLI
/// does the same through <c>udc user token list|revoke</c> and <c>udc user disable|enable|delete</c>.
/// </summary>
public sealed class AccountSafetyTests : IClassFixture<SharedServerFixture>
{
    private readonly ServerProcess _server;

    public AccountSafetyTests(SharedServerFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_sign_in_with_a_429_that_is_audited_and_refuses_even_the_right_password()
    {
        using (await _server.SignedInAsync("guessed", "viewer"))
        {
            // The account exists and signs in; now someone guesses.
        }

        using var anonymous = _server.CreateClient();
        for (var attempt = 1; attempt < SignInThrottle.AddressLimit; attempt++)
        {
            using var wrong = await anonymous.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "guessed", password = $"guess-{attempt}" });
            await wrong.ProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var last = await anonymous.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "guessed", password = "guess-last" });
        var locked = await last.ProblemAsync(HttpStatusCode.TooManyRequests);
        locked.GetProperty("title").GetString().Should().Be("Sign-in locked.");
        locked.GetProperty("detail").GetString().Should().Contain("Too many failed sign-ins for 'guessed'");
        last.Headers.RetryAfter!.Delta.Should().BeCloseTo(SignInThrottle.AddressLockout, TimeSpan.FromSeconds(5));

        using var right = await anonymous.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "guessed", password = Accounts.Password });
        await right.ProblemAsync(HttpStatusCode.TooManyRequests);
        right.Headers.Contains("Set-Cookie").Should().BeFalse("a locked sign-in issues nothing");

        var audit = JsonDocument.Parse(await _server.Http.GetStringAsync(new Uri("/api/audit?limit=50", UriKind.Relative))).RootElement.EnumerateArray()
            .Where(a => a.GetProperty("action").GetString() == "Login" && a.GetProperty("target").GetString() == "user=guessed")
            .Select(a => a.GetProperty("outcome").GetInt32()).ToList();
        audit.Should().StartWith([429, 429, 401, 401], "the newest rows: the right password refused, the lock, then the guesses");

        // Another user from the same address is not locked.
        await _server.LoginAsync("admin", _server.AdminPassword);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_at_once_and_ends_its_open_live_stream()
    {
        using (await _server.SignedInAsync("streamer", "operator"))
        {
        }

        using var created = await _server.Http.PostAsJsonAsync(new Uri("/api/users/streamer/tokens", UriKind.Relative), new { label = "dashboard screen" });
        var token = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        using var client = _server.CreateClient(token);
        client.Timeout = TimeSpan.FromSeconds(60);

        // Listed by id, label and kind; neither the token nor its full hash is in the answer.
        var listed = await _server.Http.GetStringAsync(new Uri("/api/users/streamer/tokens", UriKind.Relative));
        listed.Should().NotContain(token).And.NotContain(ApiTokens.HashOf(token));
        var entry = JsonDocument.Parse(listed).RootElement.EnumerateArray().Should().ContainSingle(t => t.GetProperty("label").GetString() == "dashboard screen").Subject;
        var id = entry.GetProperty("id").GetString()!;
        id.Should().Be(ApiTokens.HashOf(token)[..AccountEndpoints.IdLength]);
        entry.GetProperty("kind").GetString().Should().Be("api");

        using var stream = await client.GetAsync(new Uri("/api/live/schedules", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        stream.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await stream.Content.ReadAsStreamAsync();

        using (var revoke = await _server.Http.DeleteAsync(new Uri($"/api/users/streamer/tokens/{id}", UriKind.Relative)))
        {
            revoke.StatusCode.Should().Be(HttpStatusCode.NoContent, await revoke.Content.ReadAsStringAsync());
        }

        (await DrainAsync(body)).Should().BeTrue("the open stream ends when its token is revoked");
        await (await client.GetAsync(new Uri("/api/workflows", UriKind.Relative))).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await _server.Http.DeleteAsync(new Uri($"/api/users/streamer/tokens/{id}", UriKind.Relative))).ProblemAsync(HttpStatusCode.NotFound);
        JsonDocument.Parse(await _server.Http.GetStringAsync(new Uri("/api/users/streamer/tokens", UriKind.Relative))).RootElement.EnumerateArray()
            .Should().NotContain(t => t.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Users_list_and_revoke_only_their_own_tokens()
    {
        using var viewer = await _server.SignedInAsync("own-tokens", "viewer");
        await (await viewer.GetAsync(new Uri("/api/users/admin/tokens", UriKind.Relative))).ProblemAsync(HttpStatusCode.Forbidden);
        var own = JsonDocument.Parse(await viewer.GetStringAsync(new Uri("/api/users/own-tokens/tokens", UriKind.Relative))).RootElement;
        var session = own.EnumerateArray().Should().ContainSingle().Subject;
        session.GetProperty("kind").GetString().Should().Be("session");
        var adminToken = ApiTokens.HashOf(_server.Token)[..AccountEndpoints.IdLength];
        await (await viewer.DeleteAsync(new Uri($"/api/users/admin/tokens/{adminToken}", UriKind.Relative))).ProblemAsync(HttpStatusCode.Forbidden);

        // Revoking its own session answers, then the session is gone.
        using (var revoke = await viewer.DeleteAsync(new Uri($"/api/users/own-tokens/tokens/{session.GetProperty("id").GetString()}", UriKind.Relative)))
        {
            revoke.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        await (await viewer.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Disabled_and_deleted_users_are_refused_on_their_next_request_and_the_last_admin_stays()
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using (await _server.SignedInAsync("leaver", "operator"))
        {
        }

        (await browser.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "leaver", password = Accounts.Password })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await browser.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);

        (await _server.Http.PostAsync(new Uri("/api/users/leaver/disable", UriKind.Relative), null)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await browser.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).ProblemAsync(HttpStatusCode.Unauthorized);
        var disabled = await (await browser.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "leaver", password = Accounts.Password })).ProblemAsync(HttpStatusCode.Forbidden);
        disabled.GetProperty("title").GetString().Should().Be("Account disabled.");
        JsonDocument.Parse(await _server.Http.GetStringAsync(new Uri("/api/users", UriKind.Relative))).RootElement.EnumerateArray()
            .Single(u => u.GetProperty("user").GetString() == "leaver").GetProperty("disabled").GetBoolean().Should().BeTrue();

        (await _server.Http.PostAsync(new Uri("/api/users/leaver/enable", UriKind.Relative), null)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await browser.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "leaver", password = Accounts.Password })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _server.Http.DeleteAsync(new Uri("/api/users/leaver", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await browser.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await _server.Http.DeleteAsync(new Uri("/api/users/leaver", UriKind.Relative))).ProblemAsync(HttpStatusCode.NotFound);

        // The bootstrap admin is the only enabled admin: it can be neither disabled nor deleted.
        var last = await (await _server.Http.DeleteAsync(new Uri("/api/users/admin", UriKind.Relative))).ProblemAsync(HttpStatusCode.Conflict);
        last.GetProperty("detail").GetString().Should().Contain("last enabled admin");
        await (await _server.Http.PostAsync(new Uri("/api/users/admin/disable", UriKind.Relative), null)).ProblemAsync(HttpStatusCode.Conflict);
        (await _server.Http.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_cli_lists_and_revokes_tokens_and_disables_enables_and_deletes_users()
    {
        using (await _server.SignedInAsync("cli-user", "viewer"))
        {
        }

        var token = (await Cli("user", "token", "create", "cli-user", "--label", "cron job")).Stdout.Trim();
        var list = await Cli("user", "token", "list", "cli-user");
        list.Stdout.Should().Contain("cron job").And.Contain("session").And.NotContain(token);
        var id = ApiTokens.HashOf(token)[..AccountEndpoints.IdLength];
        list.Stdout.Should().Contain(id);
        (await Cli("user", "token", "revoke", "cli-user", id)).Stdout.Should().Contain($"revoked token {id} of cli-user");
        using var withToken = _server.CreateClient(token);
        await (await withToken.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).ProblemAsync(HttpStatusCode.Unauthorized);

        (await Cli("user", "disable", "cli-user")).Stdout.Should().Contain("disabled cli-user");
        (await Cli("user", "list")).Stdout.Should().MatchRegex(@"cli-user\s+viewer.*disabled");
        (await Cli("user", "enable", "cli-user")).Stdout.Should().Contain("enabled cli-user");
        (await Cli("user", "delete", "cli-user")).Stdout.Should().Contain("deleted cli-user");
        var refused = await _server.RunCliAsync("user", "delete", "admin");
        refused.ExitCode.Should().NotBe(0);
        refused.Stderr.Should().Contain("last enabled admin");
    }

    [Fact]
    public async Task The_cli_changes_a_role_and_sets_a_password_read_from_standard_input()
    {
        (await _server.RunCliAsync(["user", "create", "cli-role", "--role", "viewer"], standardInput: Accounts.Password + "\n")).ExitCode.Should().Be(0);

        (await Cli("user", "role", "cli-role", "--role", "operator")).Stdout.Should().Contain("cli-role is now operator");
        (await Cli("user", "list")).Stdout.Should().MatchRegex(@"cli-role\s+operator");
        var demote = await _server.RunCliAsync("user", "role", "admin", "--role", "viewer");
        demote.ExitCode.Should().NotBe(0);
        demote.Stderr.Should().Contain("last enabled admin");
        var badRole = await _server.RunCliAsync("user", "role", "cli-role", "--role", "root");
        badRole.ExitCode.Should().NotBe(0);

        const string NewPassword = "a different long password";
        var set = await _server.RunCliAsync(["user", "password", "cli-role"], standardInput: NewPassword + "\n");
        set.ExitCode.Should().Be(0, set.ToString());
        set.Stdout.Should().Contain("password set for cli-role");
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        (await browser.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "cli-role", password = Accounts.Password })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await browser.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "cli-role", password = NewPassword })).StatusCode.Should().Be(HttpStatusCode.OK);
        var tooShort = await _server.RunCliAsync(["user", "password", "cli-role"], standardInput: "short\n");
        tooShort.ExitCode.Should().NotBe(0);
    }

    private async Task<CliResult> Cli(params string[] args)
    {
        var result = await _server.RunCliAsync(args);
        result.ExitCode.Should().Be(0, result.ToString());
        return result;
    }

    // Reads until the server ends the stream; false if it is still open at the deadline.
    private static async Task<bool> DrainAsync(Stream body)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        try
        {
            while (await body.ReadAsync(buffer, deadline.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (HttpRequestException)
        {
            return true;
        }
    }
}
