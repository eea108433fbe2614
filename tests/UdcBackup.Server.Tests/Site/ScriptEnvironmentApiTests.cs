using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Testing;
using static UdcBackup.Server.Tests.Flows.FlowDocuments;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// Scripts' environments as a controller checks them when a site or flow is saved, on real
/// controller processes: with the default settings exactly what a default-configured disk agent
/// accepts (UDCFOO, ORACLE_SID and PATH refused by name as problem details), and with
/// <c>ScriptEnvironmentPrefixes</c> configured (here through <c>UDC_*</c> variables) the extra
/// prefix admitted by the API, the CLI's local check and the settings endpoint the designer reads.
/// </summary>
public sealed class ScriptEnvironmentApiTests : IClassFixture<SharedServerFixture>
{
    private static readonly Dictionary<string, string> OracleSettings = new()
    {
        ["UDC_SCRIPTENVIRONMENTPREFIXES__0"] = "UDC_",
        ["UDC_SCRIPTENVIRONMENTPREFIXES__1"] = "PG",
        ["UDC_SCRIPTENVIRONMENTPREFIXES__2"] = "ORACLE_",
    };

    private readonly SharedServerFixture _fixture;

    public ScriptEnvironmentApiTests(SharedServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task A_default_controller_refuses_what_a_default_disk_agent_would_naming_the_variable()
    {
        var server = _fixture.Server;
        (await PrefixesAsync(server)).Should().Equal("UDC_", "PG");

        var problems = await ValidateFlowAsync(server, new JsonObject { ["UDCFOO"] = "x", ["UDC_OK"] = "y", ["PATH"] = "/tmp" });
        problems.Should().HaveCount(2, problems.ToJsonString());
        problems.Should().OnlyContain(p => (string?)p!["code"] == "bad-environment" && (string?)p["nodeId"] == "check-1" && (string?)p["input"] == "environment");
        problems.Select(p => (string)p!["message"]!).Should().Contain(m => m.Contains("'UDCFOO'") && m.Contains("only names starting with UDC_, PG"))
            .And.Contain(m => m.Contains("'PATH'") && m.Contains("changes what runs"));

        using var applied = await ApplyAsync(server, SiteWith("ORACLE_SID"));
        var body = await applied.Content.ReadAsStringAsync();
        applied.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
        applied.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var error = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray().Should().ContainSingle().Subject;
        error.GetProperty("path").GetString().Should().Be("systems[1].scripts.preBackup.env");
        error.GetProperty("message").GetString().Should().Contain("'ORACLE_SID'");
    }

    [Fact]
    public async Task A_controller_configured_with_an_extra_prefix_accepts_it_in_sites_flows_and_the_cli_and_still_refuses_protected_names()
    {
        await using var server = await ServerProcess.StartAsync(environment: OracleSettings);
        (await PrefixesAsync(server)).Should().Equal("UDC_", "PG", "ORACLE_");

        (await ValidateFlowAsync(server, new JsonObject { ["ORACLE_SID"] = "ORCL" })).Should().BeEmpty();
        (await ValidateFlowAsync(server, new JsonObject { ["LD_PRELOAD"] = "/tmp/x.so" })).Should().ContainSingle()
            .Which!["message"]!.GetValue<string>().Should().Contain("'LD_PRELOAD'");

        // The CLI checks the file locally with the controller's prefixes before sending it.
        var file = Path.Combine(Path.GetTempPath(), $"udc-oracle-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, SiteWith("ORACLE_SID"));
        try
        {
            var result = await server.RunCliAsync(["site", "apply", file]);
            result.ExitCode.Should().Be(0, result.ToString());
        }
        finally
        {
            File.Delete(file);
        }

        using var refused = await ApplyAsync(server, SiteWith("LD_PRELOAD"));
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("'LD_PRELOAD'");
    }

    private static async Task<List<string>> PrefixesAsync(ServerProcess server) =>
        JsonDocument.Parse(await server.GetRawAsync("/api/settings/script-environment")).RootElement
            .GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()!).ToList();

    private static async Task<JsonArray> ValidateFlowAsync(ServerProcess server, JsonObject environment)
    {
        var flow = Valid("env-check");
        NodeOf(flow, "check-1")["input"]!["environment"] = environment;
        using var answer = await server.Http.PostAsJsonAsync(new Uri("/api/flows/validate", UriKind.Relative), new JsonObject { ["definition"] = flow });
        answer.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["errors"]!.AsArray();
    }

    private static Task<HttpResponseMessage> ApplyAsync(ServerProcess server, string yaml) =>
        server.Http.PostAsJsonAsync(new Uri("/api/site", UriKind.Relative), new { yaml, file = "env-test.yaml" });

    // The API tests' site with pre/post scripts on its second system, the pre one given `variable`.
    private static string SiteWith(string variable)
    {
        const string Anchor = "    applicationKind: none\n    dataSets:\n      - { name: spool";
        SiteYaml.Valid.Should().Contain(Anchor);
        return SiteYaml.Valid.Replace(Anchor, $"    applicationKind: none\n    scripts:\n      preBackup: {{ name: app/pre-backup, env: {{ UDC_MODE: full, {variable}: x }} }}\n      postBackup: app/post-backup\n    dataSets:\n      - {{ name: spool", StringComparison.Ordinal);
    }
}
