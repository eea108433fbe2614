using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using UdcBackup.Server.Auth;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>
/// Sign-in against a real controller process: the bootstrap admin's files, 401 without a token,
/// a failed sign-in that does not say which part was wrong, the browser's cookie (also on a live
/// stream), sign-out, and secrets stored only as hashes.
/// </summary>
public sealed class SignInTests : IClassFixture<SharedServerFixture>
{
    private readonly ServerProcess _server;

    public SignInTests(SharedServerFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task Without_a_token_the_API_answers_401_problem_details_while_health_and_the_OpenAPI_document_stay_open()
    {
        using var anonymous = _server.CreateClient();
        using var forged = _server.CreateClient("udc_not-a-token-anyone-issued");

        foreach (var (client, title, challenge) in new[] { (anonymous, "Not signed in.", "Bearer"), (forged, "The token was refused.", "Bearer error=\"invalid_token\"") })
        {
            using var list = await client.GetAsync(new Uri("/api/workflows", UriKind.Relative));
            var body = await list.ProblemAsync(HttpStatusCode.Unauthorized);
            body.GetProperty("title").GetString().Should().Be(title, "a token sent and refused is not the same mistake as none");
            list.Headers.WwwAuthenticate.ToString().Should().Be(challenge);
            using var start = await client.PostAsJsonAsync(new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", input = new { steps = 1 } });
            await start.ProblemAsync(HttpStatusCode.Unauthorized);
        }

        (await anonymous.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative))).StatusCode.Should().NotBe(HttpStatusCode.Unauthorized).And.NotBe(HttpStatusCode.Forbidden);
        (await _server.GetRawAsync("/api/workflows")).Should().NotContain("diag.steps", "the refused start started nothing");
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_401()
    {
        using var anonymous = _server.CreateClient();

        using var wrongPassword = await anonymous.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "admin", password = "not-the-password" });
        using var unknownUser = await anonymous.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "nobody-here", password = _server.AdminPassword });
        var first = await wrongPassword.ProblemAsync(HttpStatusCode.Unauthorized);
        var second = await unknownUser.ProblemAsync(HttpStatusCode.Unauthorized);

        first.GetProperty("title").GetString().Should().Be(second.GetProperty("title").GetString());
        first.GetProperty("detail").GetString().Should().Be(second.GetProperty("detail").GetString()).And.Be("The user name or the password is wrong.");
        wrongPassword.Headers.Contains("Set-Cookie").Should().BeFalse();
        unknownUser.Headers.Contains("Set-Cookie").Should().BeFalse();
    }

    [Fact]
    public async Task The_browser_signs_in_with_a_strict_http_only_cookie_that_also_opens_live_streams_until_sign_out()
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        using var login = await browser.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user = "admin", password = _server.AdminPassword });
        login.StatusCode.Should().Be(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        var answer = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement;
        answer.GetProperty("user").GetString().Should().Be("admin");
        answer.GetProperty("role").GetString().Should().Be("admin");
        var setCookie = login.Headers.GetValues("Set-Cookie").Should().ContainSingle().Subject;
        setCookie.Should().StartWith("udc_session=").And.Contain("httponly").And.Contain("samesite=strict").And.Contain("path=/");

        var me = JsonDocument.Parse(await browser.GetStringAsync(new Uri("/api/auth/me", UriKind.Relative))).RootElement;
        me.GetProperty("user").GetString().Should().Be("admin");
        using (var stream = await browser.GetAsync(new Uri("/api/live/schedules", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            stream.StatusCode.Should().Be(HttpStatusCode.OK);
            stream.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        }

        using var logout = await browser.PostAsync(new Uri("/api/auth/logout", UriKind.Relative), null);
        logout.StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var withOldToken = _server.CreateClient(answer.GetProperty("token").GetString());
        await (await withOldToken.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_first_start_leaves_owner_only_secret_files_and_the_store_keeps_only_hashes()
    {
        var token = await _server.LoginAsync("admin", _server.AdminPassword);
        using var admin = _server.CreateClient(token);
        using var created = await admin.PostAsJsonAsync(new Uri("/api/users/admin/tokens", UriKind.Relative), new { label = "hash check" });
        var apiToken = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;

        foreach (var file in new[] { "admin.token", "initial-admin-password" })
        {
            File.GetUnixFileMode(Path.Combine(_server.DataDirectory, file)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, file);
        }

        _server.Output.Should().Contain("admin.token").And.NotContain(_server.Token, "the log names the files, never the secrets").And.NotContain(_server.AdminPassword);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "auth.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        var hashes = await ColumnAsync(db, "SELECT hash FROM tokens");
        hashes.Should().Contain([ApiTokens.HashOf(_server.Token), ApiTokens.HashOf(token), ApiTokens.HashOf(apiToken)]);
        hashes.Should().NotContain([_server.Token, token, apiToken]);
        var passwordHash = (await ColumnAsync(db, "SELECT password_hash FROM users WHERE name = 'admin'")).Single();
        passwordHash.Should().StartWith($"pbkdf2-sha256${PasswordHasher.Iterations}$").And.NotContain(_server.AdminPassword);
    }

    private static async Task<List<string>> ColumnAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
