using System.Net;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Firewall;
using UdcBackup.Firewall.Nftables;
using UdcBackup.Server.FirewallWindows;
using UdcBackup.Server.Tests.Auth;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Testing.Sites;
using UdcBackup.Testing.Zones;

namespace UdcBackup.Server.Tests.FirewallWindows;

/// <summary>
/// Windows left open by closed runs are found and closed by the controller: a real nftables
/// firewall in a network namespace is the sample site's firewall, and windows are put on it as a
/// run's close that failed for good would leave them, tagged with a closed run, a running run and
/// a run this controller does not know. The listing (API and <c>udc firewall windows</c>) names
/// each with its run's state; the sweep (<c>udc firewall sweep</c>, and the controller's own after
/// its start-up recovery) closes exactly the closed run's window and audits it, and leaves the others.
/// </summary>
public sealed class LeftoverWindowSweepTests
{
    private const int Port = 9101;
    private const string FirewallName = "fw-inner";
    private const string UnknownRun = "another-controllers-run";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    // The timer sweep must not run during the test: the sweeps it checks are the ones it asks for.
    private static readonly Dictionary<string, string> NoTimerSweep = new() { ["UDC_FIREWALLSWEEPMINUTES"] = "1440" };

    [Fact]
    public async Task The_sweep_closes_and_audits_the_window_of_a_closed_run_and_leaves_those_of_a_running_or_unknown_run()
    {
        await using var zones = await NetworkZones.CreateAsync([Port]);
        var firewall = await SiteFirewallAsync(zones);
        await using var server = await ServerProcess.StartAsync(environment: NoTimerSweep);

        using (var noSite = await server.Http.GetAsync(new Uri("/api/firewall/windows", UriKind.Relative)))
        {
            (await noSite.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString().Should().Contain("No site has been applied");
        }

        var noSiteCli = await server.RunCliAsync("firewall", "sweep");
        noSiteCli.ExitCode.Should().NotBe(0, noSiteCli.ToString());
        noSiteCli.Stderr.Should().Contain("No site has been applied");

        await new SampleSite { FirewallNamespace = zones.Firewall.Name }.ApplyAsync(server);
        var empty = await server.RunCliAsync("firewall", "windows");
        empty.ExitCode.Should().Be(0, empty.ToString());
        empty.Stdout.Trim().Should().Be("no windows open");

        var closedRun = (await server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 0 }, "sweep-closed-run")).WorkflowId;
        (await server.WaitClosedAsync(closedRun, Deadline)).Status.Should().Be("Completed");
        var runningRun = (await server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 3_600_000 }, "sweep-running-run")).WorkflowId;
        await firewall.OpenWindowAsync(Request("203.0.113.2", closedRun));
        await firewall.OpenWindowAsync(Request("203.0.113.3", runningRun));
        await firewall.OpenWindowAsync(Request("203.0.113.4", UnknownRun));

        var listed = JsonSerializer.Deserialize<FirewallWindowList>(await server.GetRawAsync("/api/firewall/windows"), ControllerClient.JsonOptions)!;
        listed.FirewallErrors.Should().BeEmpty();
        listed.Windows.Select(w => $"{w.Firewall} {w.Port} {w.Protocol} {w.Source} {w.Destination} {w.RunId} {w.RunState} {w.RunStatus}").Should().BeEquivalentTo(
            $"{FirewallName} {Port} tcp 203.0.113.2 198.51.100.2 {closedRun} Leftover Completed",
            $"{FirewallName} {Port} tcp 203.0.113.3 198.51.100.2 {runningRun} Running Running",
            $"{FirewallName} {Port} tcp 203.0.113.4 198.51.100.2 {UnknownRun} Unknown ");

        var shown = await server.RunCliAsync("firewall", "windows");
        shown.ExitCode.Should().Be(0, shown.ToString());
        shown.Stdout.Should().MatchRegex($@"{FirewallName}\s+{Port}\s+tcp\s+203\.0\.113\.2\s+198\.51\.100\.2\s+{closedRun}\s+closed \(Completed\): leftover")
            .And.MatchRegex($@"203\.0\.113\.3\s+198\.51\.100\.2\s+{runningRun}\s+running")
            .And.MatchRegex($@"203\.0\.113\.4\s+198\.51\.100\.2\s+{UnknownRun}\s+unknown to this controller");

        using (var viewer = await server.SignedInAsync("sweep-viewer", "viewer"))
        using (var refused = await viewer.PostAsync(new Uri("/api/firewall/windows/sweep", UriKind.Relative), null))
        {
            await refused.ProblemAsync(HttpStatusCode.Forbidden);
        }

        (await firewall.ListWindowsAsync()).Should().HaveCount(3, "a refused sweep closes nothing");

        var swept = await server.RunCliAsync("firewall", "sweep", "--json");
        swept.ExitCode.Should().Be(0, swept.ToString());
        var report = JsonSerializer.Deserialize<FirewallSweepReport>(swept.Stdout, ControllerClient.JsonOptions)!;
        report.Closed.Select(w => w.RunId).Should().Equal(closedRun);
        report.Left.Select(w => w.RunId).Should().BeEquivalentTo(runningRun, UnknownRun);
        report.Failed.Should().BeEmpty();
        (await firewall.ListWindowsAsync()).Select(w => w.JobId).Should().BeEquivalentTo([runningRun, UnknownRun], "only the closed run's rule is removed");

        var audit = JsonDocument.Parse(await server.GetRawAsync("/api/audit?limit=1000")).RootElement.EnumerateArray().ToList();
        audit.Should().ContainSingle(r => r.GetProperty("action").GetString() == LeftoverWindowSweep.AuditAction)
            .Which.GetProperty("target").GetString().Should().Be(
                $"firewall={FirewallName}, port={Port}, protocol=tcp, source=203.0.113.2, destination=198.51.100.2, run={closedRun}, runStatus=Completed");
        audit.Should().Contain(r => r.GetProperty("action").GetString() == LeftoverWindowSweep.AuditAction && r.GetProperty("user").GetString() == "admin");

        var again = await server.RunCliAsync("firewall", "sweep");
        again.ExitCode.Should().Be(0, again.ToString());
        again.Stdout.Should().Contain("closed 0 leftover window(s)").And.Contain("left 2 window(s) open");
        (await firewall.ListWindowsAsync()).Should().HaveCount(2);
        Occurrences(ServerLog(server), $"Window of run {UnknownRun} on firewall {FirewallName}").Should().Be(1, "the unknown run's window is warned about once, not at every sweep");
    }

    [Fact]
    public async Task The_controller_closes_a_leftover_window_after_its_recovery_at_start_up()
    {
        await using var zones = await NetworkZones.CreateAsync([Port]);
        var firewall = await SiteFirewallAsync(zones);
        await using var server = await ServerProcess.StartAsync();
        await new SampleSite { FirewallNamespace = zones.Firewall.Name }.ApplyAsync(server);
        var closedRun = (await server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 0 }, "restart-closed-run")).WorkflowId;
        (await server.WaitClosedAsync(closedRun, Deadline)).Status.Should().Be("Completed");
        await firewall.OpenWindowAsync(Request("203.0.113.2", closedRun));
        await firewall.OpenWindowAsync(Request("203.0.113.4", UnknownRun));

        await server.RestartAsync();

        await Wait.UntilAsync(async () => (await firewall.ListWindowsAsync()).All(w => w.JobId != closedRun), Deadline, "the controller's start-up sweep to close the leftover window");
        (await firewall.ListWindowsAsync()).Select(w => w.JobId).Should().Equal(UnknownRun);
        var audit = JsonDocument.Parse(await server.GetRawAsync("/api/audit?limit=1000")).RootElement.EnumerateArray();
        audit.Should().ContainSingle(r => r.GetProperty("action").GetString() == LeftoverWindowSweep.AuditAction)
            .Which.GetProperty("user").GetString().Should().Be(LeftoverWindowSweep.SystemActor);
    }

    [Fact]
    public async Task A_window_left_on_a_firewall_the_applied_site_no_longer_reaches_is_still_swept()
    {
        await using var zones = await NetworkZones.CreateAsync([Port]);
        var firewall = await SiteFirewallAsync(zones);
        await using var server = await ServerProcess.StartAsync(environment: NoTimerSweep);
        await new SampleSite { FirewallNamespace = zones.Firewall.Name }.ApplyAsync(server);
        var closedRun = (await server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 0 }, "retired-closed-run")).WorkflowId;
        (await server.WaitClosedAsync(closedRun, Deadline)).Status.Should().Be("Completed");
        var runningRun = (await server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 3_600_000, cleanupMillis = 10 }, "retired-running-run")).WorkflowId;
        await firewall.OpenWindowAsync(Request("203.0.113.2", closedRun));
        await firewall.OpenWindowAsync(Request("203.0.113.3", runningRun));

        // The next version reaches fw-inner in another namespace (one that does not exist): the windows
        // above are on the firewall as version 1 had it, which runs started before still use.
        await new SampleSite().ApplyAsync(server);
        var retired = $"{FirewallName} (as in site version 1, changed or removed by version 2)";
        var listed = JsonSerializer.Deserialize<FirewallWindowList>(await server.GetRawAsync("/api/firewall/windows"), ControllerClient.JsonOptions)!;
        listed.Windows.Select(w => $"{w.Firewall}: {w.RunId} {w.RunState}").Should().BeEquivalentTo(
            $"{retired}: {closedRun} Leftover",
            $"{retired}: {runningRun} Running");
        listed.FirewallErrors.Select(f => f.Firewall).Should().Equal([FirewallName], "the applied site's firewall cannot be reached");

        var swept = await server.RunCliAsync("firewall", "sweep", "--json");
        swept.ExitCode.Should().Be(1, "the applied site's firewall could not be listed: " + swept);
        swept.Stderr.Should().Contain($"firewall {FirewallName} could not be listed");
        var report = JsonSerializer.Deserialize<FirewallSweepReport>(swept.Stdout, ControllerClient.JsonOptions)!;
        report.Closed.Select(w => $"{w.Firewall}: {w.RunId}").Should().Equal($"{retired}: {closedRun}");
        report.Left.Select(w => w.RunId).Should().Equal(runningRun);
        (await firewall.ListWindowsAsync()).Select(w => w.JobId).Should().Equal([runningRun], "only the closed run's rule is removed");
        var audit = JsonDocument.Parse(await server.GetRawAsync("/api/audit?limit=1000")).RootElement.EnumerateArray();
        audit.Should().ContainSingle(r => r.GetProperty("action").GetString() == LeftoverWindowSweep.AuditAction)
            .Which.GetProperty("target").GetString().Should().StartWith($"firewall={retired}, port={Port}").And.Contain($"run={closedRun}");

        // The run that started before the change ends: its window is a leftover like any other. Once the
        // retired firewall then shows no window, it is not listed any more (nothing of ours can appear there).
        using (var cancel = await server.Http.PostAsync(new Uri($"/api/workflows/{runningRun}/cancel", UriKind.Relative), null))
        {
            cancel.IsSuccessStatusCode.Should().BeTrue();
        }

        (await server.WaitClosedAsync(runningRun, Deadline)).Status.Should().Be("Canceled");
        var second = await server.RunCliAsync("firewall", "sweep", "--json");
        JsonSerializer.Deserialize<FirewallSweepReport>(second.Stdout, ControllerClient.JsonOptions)!.Closed.Select(w => w.RunId).Should().Equal(runningRun);
        (await firewall.ListWindowsAsync()).Should().BeEmpty();
        JsonSerializer.Deserialize<FirewallWindowList>(await server.GetRawAsync("/api/firewall/windows"), ControllerClient.JsonOptions)!.Windows.Should().BeEmpty();
        await firewall.OpenWindowAsync(Request("203.0.113.5", closedRun));
        var after = JsonSerializer.Deserialize<FirewallWindowList>(await server.GetRawAsync("/api/firewall/windows"), ControllerClient.JsonOptions)!;
        after.Windows.Should().BeEmpty("the retired firewall was found clean with no older run left");
        after.FirewallErrors.Select(f => f.Firewall).Should().Equal(FirewallName);
    }

    // The sample site's firewall: the managed chain in the site's default table (inet udc forward).
    private static async Task<NftablesFirewall> SiteFirewallAsync(NetworkZones zones)
    {
        var options = zones.FirewallOptions(zones.Firewall, FirewallName);
        options.Table = "udc";
        var firewall = new NftablesFirewall(options);
        await firewall.InstallAsync();
        return firewall;
    }

    // The file sink writes each event through before the request that logged it answers.
    private static string ServerLog(ServerProcess server) => string.Concat(
        Directory.GetFiles(Path.Combine(server.DataDirectory, "logs"), "udc-*.log").Select(path =>
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            return reader.ReadToEnd();
        }));

    private static int Occurrences(string text, string part) =>
        (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private static FirewallWindowRequest Request(string source, string runId) =>
        new(Port, IPAddress.Parse(source), IPAddress.Parse("198.51.100.2"), runId);
}
