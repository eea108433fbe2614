using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>Creates users through the API as the bootstrap admin and signs them in, for role tests.</summary>
internal static class Accounts
{
    public const string Password = "correct horse battery";

    /// <summary>Creates <paramref name="user"/> with <paramref name="role"/> and returns a client signed in as it (bearer from a real sign-in).</summary>
    public static async Task<HttpClient> SignedInAsync(this ServerProcess server, string user, string role)
    {
        using (var created = await server.Http.PostAsJsonAsync(new Uri("/api/users", UriKind.Relative), new { user, password = Password, role }))
        {
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        return server.CreateClient(await server.LoginAsync(user, Password));
    }

    /// <summary>Signs in and returns the session token.</summary>
    public static async Task<string> LoginAsync(this ServerProcess server, string user, string password)
    {
        using var anonymous = server.CreateClient();
        using var response = await anonymous.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { user, password });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Asserts a problem-details answer with the status and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var body = JsonDocument.Parse(text).RootElement;
        body.GetProperty("status").GetInt32().Should().Be((int)status);
        return body;
    }
}
