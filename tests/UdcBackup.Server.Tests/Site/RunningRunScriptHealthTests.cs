using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Testing;
using UdcBackup.Testing.Sites;
using static UdcBackup.Server.Tests.Site.PrefixSettings;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// A backup and a restore that were running when the controller was restarted with narrower
/// <c>ScriptEnvironmentPrefixes</c> resume with the scripts they started with, which no start
/// check sees again: the controller logs each refused variable they carry at start, and
/// <c>GET /api/health</c> is degraded and lists them by run, system, script and variable, even
/// after the site itself was fixed (the runs keep their copy), with the cancel that ends them.
/// The sample site's firewall namespace does not exist, so the backup keeps retrying to open its
/// windows, and the restore's target check reaches a disk agent address that never answers: both
/// stay running while the test looks.
/// </summary>
public sealed class RunningRunScriptHealthTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Runs_in_progress_that_carry_a_now_refused_variable_are_logged_at_start_and_listed_on_health()
    {
        await using var server = await ServerProcess.StartAsync(environment: Wide);

        // The restore's first call to db-1's disk agent, its target check, reaches a listener that
        // never answers, so it keeps retrying and stays running while the test looks.
        using var silentAgent = new TcpListener(IPAddress.Loopback, 0);
        silentAgent.Start();
        var site = new SampleSite
        {
            FirstEndpoint = $"127.0.0.1:{((IPEndPoint)silentAgent.LocalEndpoint).Port}",
            FirstScripts = new Dictionary<string, string>
            {
                ["preBackup"] = "{ name: db/pre-backup, env: { UDC_MODE: full, ACME_X: '1' } }",
                ["postBackup"] = "db/post-backup",
                ["stopPrograms"] = "{ name: db/stop-programs, env: { ACME_Z: '1' } }",
                ["startPrograms"] = "db/start-programs",
            },
        };
        await site.ApplyAsync(server);
        await site.AddSnapshotAsync(server, "snap-running");
        var backup = await StartAsync(server, "/api/backups", new { job = site.Job });
        // Forced: the backup works on db-1 too, and two runs on one system are refused without it.
        var restore = await StartAsync(server, "/api/restores", new { system = SampleSite.FirstSystem, snapshot = "snap-running", force = true });

        await server.RestartAsync(Narrow);
        // The site is fixed at once: new runs pass, but the two running ones keep their copies.
        await new SampleSite { FirstScripts = new Dictionary<string, string> { ["preBackup"] = "{ name: db/pre-backup, env: { UDC_MODE: full } }", ["postBackup"] = "db/post-backup" } }.ApplyAsync(server);

        await Wait.UntilAsync(() => server.Output.Contains($"run {backup} (backup.job, site version 1, in progress), system db-1, preBackup script db/pre-backup, variable ACME_X", StringComparison.Ordinal), Deadline, "the start-up warning for the running backup");
        server.Output.Should().Contain($"run {restore} (restore, in progress), system db-1, stopPrograms script db/stop-programs, variable ACME_Z");
        var health = JsonNode.Parse(await server.GetRawAsync("/api/health"))!;
        health["status"]!.GetValue<string>().Should().Be("degraded", health.ToJsonString());
        var problems = health["problems"]!.AsArray();
        problems.Select(p => $"{p!["source"]} {p["name"]} {p["version"]} {p["systemId"]} {p["script"]} {p["scriptName"]} {p["variable"]} {p["setting"]}").Should().Equal(
            $"run {backup} 1 db-1 preBackup db/pre-backup ACME_X ScriptEnvironmentPrefixes",
            $"run {restore} 0 db-1 stopPrograms db/stop-programs ACME_Z ScriptEnvironmentPrefixes");
        problems[0]!["summary"]!.GetValue<string>().Should().Contain($"udc workflow cancel {backup}");
        health["detail"]!.GetValue<string>().Should().Contain("2 running run(s)").And.NotContain("stored script environment variable", "the stored site passes now");

        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        var probe = JsonNode.Parse(await anonymous.GetStringAsync(new Uri("/healthz", UriKind.Relative)))!;
        probe["status"]!.GetValue<string>().Should().Be("degraded");
        probe["problems"]!.AsArray().Should().BeEmpty("run, system and variable names need a sign-in");
    }

    private static async Task<string> StartAsync(ServerProcess server, string path, object request)
    {
        using var started = await server.Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), request);
        var body = await started.Content.ReadAsStringAsync();
        started.StatusCode.Should().Be(HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }
}
