using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;
using UdcBackup.Firewall;
using UdcBackup.Testing.Processes;
using UdcBackup.Testing.Zones;

namespace UdcBackup.Agents.Tests.Zones;

/// <summary>
/// The seed's picture, for real: the controller (this test process, acting from the controller
/// zone) and a disk agent (a `udc agent` process in the protected zone) separated by an nftables
/// firewall whose designated ports are closed except inside windows. The agent enrolls through a
/// window, then the controller runs its pre-backup script through another.
/// </summary>
public sealed class DiskAgentInZonesTests : IAsyncLifetime
{
    private const int AgentPort = 7443;
    private const int EnrollPort = 8443;

    private ZoneAgents _lab = null!;
    private WebApplication _enrollment = null!;

    public async Task InitializeAsync()
    {
        _lab = await ZoneAgents.StartAsync([AgentPort, EnrollPort]);

        // The enrollment endpoint listens inside the controller zone on a socket created there.
        var listener = _lab.Zones.Controller.Listen(IPAddress.Any, EnrollPort);
        var serverCert = _lab.Ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenHandle((ulong)listener.Server.Handle, l => l.UseHttps(o => MutualTls.ConfigureEnrollmentServer(o, serverCert))));
        _enrollment = builder.Build();
        _enrollment.MapEnrollment(_lab.Ca, new AuditLog(_lab.Temp.Combine("controller-audit.jsonl")));
        await _enrollment.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _enrollment.DisposeAsync();
        await _lab.DisposeAsync();
    }

    [Fact]
    public async Task A_disk_agent_enrolls_and_runs_the_controllers_script_only_through_open_windows()
    {
        var firewall = _lab.Firewall;
        var before = await firewall.SnapshotAsync();

        // 1. Enrollment: the protected system dials the controller through a window.
        var enrollWindow = await firewall.OpenWindowAsync(new FirewallWindowRequest(EnrollPort, ZoneAddresses.Protected, ZoneAddresses.Controller, "enroll-portal-db"));
        var token = _lab.Ca.EnrollmentTokens.Issue(new SystemIdentity("portal-db", AgentRole.Disk), TimeSpan.FromMinutes(5));
        await using (var enroll = ZoneProcess.Start(_lab.Zones.Protected, UdcProgram.Command(
            "agent", "enroll", "--server", $"https://{ZoneAddresses.Controller}:{EnrollPort}", "--token", token,
            "--ca-sha256", EnrollmentClient.Fingerprint(_lab.Ca.Certificate), "--credentials", _lab.Temp.Combine("agent"))))
        {
            await enroll.WaitForOutputAsync("enrolled as disk:portal-db", TimeSpan.FromMinutes(2)); // a process start on a loaded machine
        }

        await firewall.CloseWindowAsync(enrollWindow);

        // 2. The disk agent service runs in the protected zone.
        Directory.CreateDirectory(_lab.Temp.Combine("scripts"));
        File.WriteAllText(_lab.Temp.Combine("scripts", "pre-backup"), "#!/bin/sh\necho \"db in backup mode on $(ip -4 -o addr show dev fw0)\"\n");
        File.SetUnixFileMode(_lab.Temp.Combine("scripts", "pre-backup"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var agent = await _lab.StartAgentAsync(_lab.Zones.Protected, "disk", new DiskAgentOptions
        {
            ListenAddress = "0.0.0.0",
            Port = AgentPort,
            CredentialsFolder = _lab.Temp.Combine("agent"),
            ScriptFolder = _lab.Temp.Combine("scripts"),
            AuditLogPath = _lab.Temp.Combine("agent-audit.jsonl"),
        });

        using var controllerCert = _lab.Ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        // A closed port drops the SYN, so a probe of it ends at the connect timeout: short for the
        // probes. The connection that must succeed gets a patient client: the connect timeout
        // covers the TLS handshake too, the agent's first, cold one, which a loaded machine can
        // slow past 1.5 s.
        using var http = _lab.ControllerClient(controllerCert, "portal-db", TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(30));
        using var patient = _lab.ControllerClient(controllerCert, "portal-db", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(90));
        var run = (HttpClient client) => client.PostAsJsonAsync(new Uri($"https://{ZoneAddresses.Protected}:{AgentPort}/v1/scripts/run"), new ScriptRunRequest { Name = "pre-backup", JobId = "job-42" });

        // 3. Closed before the window, open during, closed after.
        await FluentActions.Awaiting(() => run(http)).Should().ThrowAsync<Exception>("the designated port is closed");
        var window = await firewall.OpenWindowAsync(new FirewallWindowRequest(AgentPort, ZoneAddresses.Controller, ZoneAddresses.Protected, "job-42"));
        using (var response = await run(patient))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var result = await response.Content.ReadFromJsonAsync<ScriptResult>(JsonSerializerOptions.Web);
            result!.StandardOutput.Should().StartWith("db in backup mode on").And.Contain("inet 203.0.113.2/28", "the script ran in the protected zone");
        }

        await firewall.CloseWindowAsync(window);
        using var fresh = _lab.ControllerClient(controllerCert, "portal-db", TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(30));
        var again = () => fresh.GetStringAsync(new Uri($"https://{ZoneAddresses.Protected}:{AgentPort}/v1/identity"));
        await again.Should().ThrowAsync<Exception>("the window is closed again");
        (await firewall.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();

        new AuditLog(_lab.Temp.Combine("agent-audit.jsonl")).ReadAll().Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new { Actor = "controller:cm-1", Decision = AuditDecision.Accepted, JobId = "job-42" });
    }
}
