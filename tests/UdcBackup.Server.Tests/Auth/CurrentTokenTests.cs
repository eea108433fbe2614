using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Server.Auth;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>
/// A token listing marks the token it was asked with <c>current</c>, and only that one: a browser
/// cannot see its HttpOnly session cookie, so without the mark the Users page could not tell the
/// admin's own session among several.
/// </summary>
public sealed class CurrentTokenTests : IClassFixture<SharedServerFixture>
{
    private readonly ServerProcess _server;

    public CurrentTokenTests(SharedServerFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task Each_session_and_api_token_sees_itself_marked_current_among_the_users_tokens()
    {
        using var first = await _server.SignedInAsync("two-browsers", "viewer");
        var secondToken = await _server.LoginAsync("two-browsers", Accounts.Password);
        using var second = _server.CreateClient(secondToken);
        using var created = await first.PostAsJsonAsync(new Uri("/api/users/two-browsers/tokens", UriKind.Relative), new { label = "script" });
        var apiToken = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        using var script = _server.CreateClient(apiToken);

        var byFirst = await CurrentAsync(first);
        var bySecond = await CurrentAsync(second);
        var byScript = await CurrentAsync(script);

        byFirst.Should().ContainSingle().Which.Kind.Should().Be("session");
        bySecond.Should().ContainSingle().Which.Should().Be((ApiTokens.HashOf(secondToken)[..AccountEndpoints.IdLength], "session"));
        bySecond[0].Id.Should().NotBe(byFirst[0].Id, "two sign-ins are two sessions, each its own");
        byScript.Should().ContainSingle().Which.Should().Be((ApiTokens.HashOf(apiToken)[..AccountEndpoints.IdLength], "api"));
        (await CurrentAsync(_server.Http)).Should().BeEmpty("the admin lists another user's tokens, none of them its own");
    }

    private static async Task<List<(string Id, string Kind)>> CurrentAsync(HttpClient client)
    {
        var tokens = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/users/two-browsers/tokens", UriKind.Relative))).RootElement.EnumerateArray().ToList();
        tokens.Should().HaveCount(3);
        return tokens.Where(t => t.GetProperty("current").GetBoolean()).Select(t => (t.GetProperty("id").GetString()!, t.GetProperty("kind").GetString()!)).ToList();
    }
}
