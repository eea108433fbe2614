using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UdcBackup.Testing.Sites;
using static UdcBackup.Server.Tests.Flows.FlowDocuments;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// <c>/healthz</c> of a controller whose stored site and published flow pass a variable its
/// current <c>ScriptEnvironmentPrefixes</c> refuse: still 200 (alive, serving the API through which
/// it is fixed), but <c>degraded</c> with every refused variable listed by site version, system,
/// script, variable and setting (and by flow version and node) on <c>GET /api/health</c>, while the
/// anonymous probe only counts them (site data needs a sign-in), and <c>ok</c> again as soon as an
/// apply and a publish fix them, without a restart.
/// </summary>
public sealed class ScriptEnvironmentHealthTests
{
    [Fact]
    public async Task Health_is_degraded_with_each_refused_stored_variable_until_the_site_and_flow_are_fixed()
    {
        await using var server = await ServerProcess.StartAsync(environment: PrefixSettings.Wide);
        var refused = new SampleSite
        {
            FirstScripts = new Dictionary<string, string>
            {
                ["preBackup"] = "{ name: db/pre-backup, env: { UDC_MODE: full, ACME_X: '1' } }",
                ["postBackup"] = "db/post-backup",
            },
        };
        await refused.ApplyAsync(server);
        var flow = Valid("health-narrowed");
        NodeOf(flow, "check-1")["input"]!["environment"] = new JsonObject { ["ACME_Y"] = "1" };
        await PublishAsync(server, flow);
        (await HealthAsync(server))["status"]!.GetValue<string>().Should().Be("ok", "the wide setting admits every stored variable");

        await server.RestartAsync(PrefixSettings.Narrow);

        var probe = await HealthAsync(server);
        probe["status"]!.GetValue<string>().Should().Be("degraded", probe.ToJsonString());
        probe["detail"]!.GetValue<string>().Should().Contain("2 stored script environment variable(s)").And.Contain("ScriptEnvironmentPrefixes").And.Contain("UDC_*").And.Contain("/api/health");
        probe["problems"]!.AsArray().Should().BeEmpty("which systems, scripts and variables is site data: not for anonymous callers");
        probe.ToJsonString().Should().NotContain("ACME_").And.NotContain("db-1").And.NotContain("check-1");
        await ExpectSignInNeededAsync(server);
        var degraded = await HealthAsync(server, signedIn: true);
        degraded["status"]!.GetValue<string>().Should().Be("degraded", degraded.ToJsonString());
        var problems = degraded["problems"]!.AsArray();
        problems.Select(p => $"{p!["source"]} {p["name"]} {p["version"]} {p["systemId"]} {p["script"]} {p["scriptName"]} {p["variable"]} {p["setting"]}").Should().Equal(
            $"site {refused.Name} 1 db-1 preBackup db/pre-backup ACME_X ScriptEnvironmentPrefixes",
            "flow health-narrowed 1     ScriptEnvironmentPrefixes");
        problems[1]!["nodeId"]!.GetValue<string>().Should().Be("check-1");
        problems[1]!["message"]!.GetValue<string>().Should().Contain("ACME_Y");
        problems[0]!["summary"]!.GetValue<string>().Should().Contain($"site {refused.Name} version 1, system db-1, preBackup script db/pre-backup, variable ACME_X");

        await new SampleSite { FirstScripts = new Dictionary<string, string> { ["preBackup"] = "{ name: db/pre-backup, env: { UDC_MODE: full } }", ["postBackup"] = "db/post-backup" } }.ApplyAsync(server);
        var siteFixed = await HealthAsync(server, signedIn: true);
        siteFixed["problems"]!.AsArray().Select(p => (string?)p!["source"]).Should().Equal(["flow"], "the new site version passes; the flow still does not");

        NodeOf(flow, "check-1")["input"]!["environment"] = new JsonObject { ["UDC_Y"] = "1" };
        await PublishAsync(server, flow);
        var healthy = await HealthAsync(server, signedIn: true);
        healthy["status"]!.GetValue<string>().Should().Be("ok", healthy.ToJsonString());
        (await HealthAsync(server))["status"]!.GetValue<string>().Should().Be("ok");
        healthy["problems"]!.AsArray().Should().BeEmpty();
    }

    // Anonymous, as a supervisor's probe asks; signed in, the report with the list.
    private static async Task<JsonNode> HealthAsync(ServerProcess server, bool signedIn = false)
    {
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var answer = signedIn
            ? await server.Http.GetAsync(new Uri("/api/health", UriKind.Relative))
            : await anonymous.GetAsync(new Uri("/healthz", UriKind.Relative));
        var body = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.Should().Be(HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!;
    }

    private static async Task ExpectSignInNeededAsync(ServerProcess server)
    {
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var answer = await anonymous.GetAsync(new Uri("/api/health", UriKind.Relative));
        answer.StatusCode.Should().Be(HttpStatusCode.Unauthorized, await answer.Content.ReadAsStringAsync());
    }

    private static async Task PublishAsync(ServerProcess server, JsonObject flow)
    {
        var id = flow["id"]!.GetValue<string>();
        // The second save of the same flow replaces its draft: it names the revision it replaces.
        using var stored = await server.Http.GetAsync(new Uri($"/api/flows/{id}", UriKind.Relative));
        var baseRevision = stored.IsSuccessStatusCode ? JsonNode.Parse(await stored.Content.ReadAsStringAsync())!["draftRevision"]!.GetValue<int>() : (int?)null;
        using (var saved = await server.Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = flow.DeepClone(), ["baseRevision"] = baseRevision }))
        {
            saved.IsSuccessStatusCode.Should().BeTrue(await saved.Content.ReadAsStringAsync());
        }

        using var published = await server.Http.PostAsJsonAsync(new Uri($"/api/flows/{id}/publish", UriKind.Relative), new { });
        published.StatusCode.Should().Be(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
    }
}
