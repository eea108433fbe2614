using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Testing;

namespace UdcBackup.Server.Tests.Api;

/// <summary>
/// The node states of a <c>backup.job</c> run (<c>GET /api/workflows/{id}/nodes</c>, the live
/// graph's source) list every planned step of its input from the start, in the workflow's order:
/// the steps not reached yet are waiting. The first system's disk agent is a listener that never
/// answers, so its pre-backup stays running while the test looks; once the listener is gone every
/// agent call fails, the run completes with both systems failed, and the steps the workflow then
/// passed by or never reached read skipped, none waiting.
/// </summary>
public sealed class RunPlanNodesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private static readonly string[] Planned =
    [
        "open-windows",
        "db-1/choose-level", "db-1/pre-backup", "db-1/stream", "db-1/post-backup", "db-1/record-snapshot", "db-1/retention",
        "app-1/choose-level", "app-1/stream", "app-1/record-snapshot", "app-1/retention",
        "close-windows",
    ];

    [Fact]
    public async Task A_backup_run_lists_its_whole_plan_from_the_start_and_no_step_waits_after_it_ends()
    {
        await using var server = await ServerProcess.StartAsync();
        var silentAgent = new TcpListener(IPAddress.Loopback, 0);
        silentAgent.Start();
        string run;
        try
        {
            var silent = $"127.0.0.1:{((IPEndPoint)silentAgent.LocalEndpoint).Port}";
            run = (await server.StartWorkflowAsync("backup.job", Input(silent), $"plan-nodes-{Guid.NewGuid():N}")).WorkflowId;

            JsonArray nodes = [];
            await Wait.UntilAsync(
                async () => State(nodes = await NodesAsync(server, run), "db-1/pre-backup") is "running" or "retrying",
                Deadline,
                "db-1's pre-backup to run");

            Ids(nodes).Should().Equal(Planned, "every planned step is listed from the start, in the workflow's order");
            States(nodes).Should().Equal(
                ["done", "done", State(nodes, "db-1/pre-backup")!, "waiting", "waiting", "waiting", "waiting", "waiting", "waiting", "waiting", "waiting", "waiting"],
                nodes.ToJsonString());
        }
        finally
        {
            // Gone, the agent resets the call it held: every agent call fails from here on.
            silentAgent.Stop();
        }

        (await server.WaitClosedAsync(run, Deadline)).Status.Should().Be("Completed", "a system's failure is recorded in its line, the job goes on");
        var ended = await NodesAsync(server, run);
        Ids(ended).Should().Equal(Planned);
        States(ended).Should().Equal(
            [
                "done",
                "done", "failed", "skipped", "failed", "skipped", "skipped",
                "done", "failed", "skipped", "skipped",
                "done",
            ],
            "db-1's stream is passed by after its pre-backup failed, post-backup still runs; nothing is left waiting: " + ended.ToJsonString());
    }

    private static async Task<JsonArray> NodesAsync(ServerProcess server, string run) =>
        JsonNode.Parse(await server.GetRawAsync($"/api/workflows/{run}/nodes"))!.AsArray();

    private static string? State(JsonArray nodes, string id) =>
        nodes.SingleOrDefault(n => n!["nodeId"]!.GetValue<string>() == id)?["state"]!.GetValue<string>();

    private static IEnumerable<string> Ids(JsonArray nodes) => nodes.Select(n => n!["nodeId"]!.GetValue<string>());

    private static IEnumerable<string> States(JsonArray nodes) => nodes.Select(n => n!["state"]!.GetValue<string>());

    private static object Script(string name) => new { name, arguments = Array.Empty<string>(), environment = new Dictionary<string, string>() };

    private static object DataSet(string name, string path) => new { name, paths = new[] { path }, excludes = Array.Empty<string>() };

    // No firewall stands between the zones (no windows to open); db-1 has both scripts, app-1 none.
    private static object Input(string silentAgent) => new
    {
        runId = string.Empty,
        jobId = "plan-nodes",
        siteVersion = 0,
        mediaAgentId = "media-1",
        mediaEndpoint = "127.0.0.1:1",
        repository = "main",
        firewalls = Array.Empty<object>(),
        windows = Array.Empty<object>(),
        systems = new object[]
        {
            new { systemId = "db-1", agentEndpoint = silentAgent, preBackup = Script("db/pre-backup"), postBackup = Script("db/post-backup"), dataSets = new[] { DataSet("data", "/srv/db") }, afterPostBackup = Array.Empty<object>() },
            new { systemId = "app-1", agentEndpoint = "127.0.0.1:1", dataSets = new[] { DataSet("spool", "/srv/app/spool") }, afterPostBackup = Array.Empty<object>() },
        },
        levels = new { fullOn = Array.Empty<string>(), fullEvery = 1, timeZone = "UTC" },
        retention = new { keepLast = 3, keepDaily = 0, keepWeekly = 0, keepMonthly = 0, keepYearly = 0 },
        continueOnSystemFailure = true,
    };
}
