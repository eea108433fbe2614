using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// <c>/api/site</c> on a real controller process: a refused apply (invalid YAML, a definition the
/// validator rejects, malformed JSON) answers 400 with what is wrong and stores nothing; a valid
/// apply stores version 1 and sets the job's schedule; the same content again is "unchanged";
/// an unknown version is a 404 problem. One server for the class, used in a fixed order.
/// </summary>
public sealed class SiteApiTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Refused_applies_store_nothing_and_a_valid_one_stores_a_version_with_its_schedule()
    {
        // Nothing applied yet.
        await ExpectProblemAsync(await _server.Http.GetAsync(new Uri("/api/site", UriKind.Relative)), HttpStatusCode.NotFound, "No site has been applied yet");

        // A definition the validator rejects: every error names the file, the path and the fix.
        var broken = SiteYaml.Valid.Replace("designatedPort: 9101", "designatedPort: 70000", StringComparison.Ordinal);
        using (var refused = await ApplyAsync(broken))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            body.GetProperty("title").GetString().Should().Contain("nothing was stored");
            body.GetProperty("status").GetInt32().Should().Be(400);
            var errors = body.GetProperty("errors").EnumerateArray().ToList();
            errors.Should().NotBeEmpty().And.Contain(e => e.GetProperty("path").GetString()!.Contains("designatedPort", StringComparison.Ordinal));
            errors.Should().OnlyContain(e => e.GetProperty("file").GetString() == "api-test.yaml" && !string.IsNullOrWhiteSpace(e.GetProperty("fix").GetString()));
        }

        // YAML that does not parse, and JSON that does not parse.
        using (var garbage = await ApplyAsync("site: [unclosed"))
        {
            garbage.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            garbage.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            var errors = JsonDocument.Parse(await garbage.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().ToList();
            errors.Should().NotBeEmpty().And.OnlyContain(e => !string.IsNullOrWhiteSpace(e.GetProperty("fix").GetString()));
        }

        using (var content = new StringContent("{\"yaml\": ", Encoding.UTF8, "application/json"))
        using (var malformed = await _server.Http.PostAsync(new Uri("/api/site", UriKind.Relative), content))
        {
            await ExpectProblemAsync(malformed, HttpStatusCode.BadRequest, "LineNumber");
        }

        await ExpectProblemAsync(await _server.Http.GetAsync(new Uri("/api/site", UriKind.Relative)), HttpStatusCode.NotFound, "No site has been applied yet");
        (await _server.GetRawAsync("/api/schedules")).Should().Be("[]", "a refused apply sets no schedule");

        // The valid site: version 1, its job's schedule set.
        using (var applied = await ApplyAsync(SiteYaml.Valid))
        {
            applied.StatusCode.Should().Be(HttpStatusCode.OK, await applied.Content.ReadAsStringAsync());
            var result = JsonDocument.Parse(await applied.Content.ReadAsStringAsync()).RootElement;
            result.GetProperty("version").GetInt32().Should().Be(1);
            result.GetProperty("unchanged").GetBoolean().Should().BeFalse();
            result.GetProperty("schedules").EnumerateArray().Select(s => s.GetString()).Should().ContainSingle().Which.Should().Contain(SiteYaml.Job);
        }

        (await _server.GetRawAsync("/api/schedules")).Should().Contain(SiteYaml.Job);
        var shown = JsonDocument.Parse(await _server.GetRawAsync("/api/site")).RootElement;
        shown.GetProperty("version").GetInt32().Should().Be(1);
        shown.GetProperty("json").GetString().Should().Contain(SiteYaml.Job);

        // The same content again changes nothing; an unknown version is a 404 problem.
        using (var again = await ApplyAsync(SiteYaml.Valid))
        {
            var result = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
            result.GetProperty("version").GetInt32().Should().Be(1);
            result.GetProperty("unchanged").GetBoolean().Should().BeTrue();
        }

        await ExpectProblemAsync(await _server.Http.GetAsync(new Uri("/api/site?version=9", UriKind.Relative)), HttpStatusCode.NotFound, "no site version 9");

        // A refused apply after a good one leaves the good one current.
        using (var refusedLater = await ApplyAsync(broken))
        {
            refusedLater.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        JsonDocument.Parse(await _server.GetRawAsync("/api/site")).RootElement.GetProperty("version").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task The_CLI_shows_a_server_refusal_with_its_fixes_and_exits_2()
    {
        // Valid for the local validator (ids up to 63 characters), refused by the server's plan (run ids).
        var site = new UdcBackup.Testing.Sites.SampleSite { Job = new string('j', 50) };
        var file = Path.Combine(Path.GetTempPath(), $"udc-refused-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, site.Yaml);
        try
        {
            var result = await _server.RunCliAsync("site", "apply", file);
            result.ExitCode.Should().Be(2, result.ToString());
            result.Stderr.Should().Contain("The site cannot be run as defined; nothing was stored.").And.Contain($"jobs[{site.Job}]").And.Contain("Fix:");
        }
        finally
        {
            File.Delete(file);
        }

        await ExpectProblemAsync(await _server.Http.GetAsync(new Uri("/api/site", UriKind.Relative)), HttpStatusCode.NotFound, "No site has been applied yet");
    }

    private Task<HttpResponseMessage> ApplyAsync(string yaml) =>
        _server.Http.PostAsJsonAsync(new Uri("/api/site", UriKind.Relative), new { yaml, file = "api-test.yaml" });

    /// <summary>Asserts an RFC 7807 problem with the status and a detail containing <paramref name="detail"/>; disposes the response.</summary>
    internal static async Task ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(status, body);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", body);
            var problem = JsonDocument.Parse(body).RootElement;
            problem.GetProperty("status").GetInt32().Should().Be((int)status);
            problem.GetProperty("detail").GetString().Should().ContainEquivalentOf(detail);
        }
    }
}
