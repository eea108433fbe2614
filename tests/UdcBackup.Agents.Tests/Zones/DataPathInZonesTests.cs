using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Repository;
using UdcBackup.Firewall;
using UdcBackup.Testing.Zones;

namespace UdcBackup.Agents.Tests.Zones;

/// <summary>
/// The data path across the zone firewall, with both agents as real processes: the disk agent in
/// the protected zone streams to the media agent in the controller zone through the firewall
/// namespace. The media agent's port is closed until the job's window opens it and closed after,
/// with the rule set byte-identical; the controller (this test process, in the controller zone)
/// orders the transfer through a window of its own.
/// </summary>
public sealed class DataPathInZonesTests : IAsyncLifetime
{
    private const int DiskPort = 7443;
    private const int MediaPort = 7444;

    private ZoneAgents _lab = null!;

    public async Task InitializeAsync() => _lab = await ZoneAgents.StartAsync([DiskPort, MediaPort]);

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task The_disk_agent_streams_to_the_media_agent_only_inside_the_jobs_window()
    {
        _lab.Enroll("portal-db", AgentRole.Disk, "disk");
        _lab.Enroll("media-1", AgentRole.Media, "media");
        Directory.CreateDirectory(_lab.Temp.Combine("data", "db"));
        File.WriteAllBytes(_lab.Temp.Combine("data", "db", "table.bin"), RandomNumberGenerator.GetBytes(3_000_000));
        File.WriteAllText(_lab.Temp.Combine("repo-password"), "pw\n");
        ArchiveRepository.Init(_lab.Temp.Combine("repo"), "pw", kdfIterations: 1000).Dispose();
        Directory.CreateDirectory(_lab.Temp.Combine("scripts"));
        Directory.CreateDirectory(_lab.Temp.Combine("restore"));

        await using var media = await _lab.StartAgentAsync(_lab.Zones.Controller, "media", new MediaAgentOptions
        {
            Port = MediaPort, CredentialsFolder = _lab.Temp.Combine("media"), RepositoryPath = _lab.Temp.Combine("repo"),
            RepositoryPasswordFile = _lab.Temp.Combine("repo-password"), AuditLogPath = _lab.Temp.Combine("media-audit.jsonl"),
        });
        await using var disk = await _lab.StartAgentAsync(_lab.Zones.Protected, "disk", new DiskAgentOptions
        {
            Port = DiskPort, CredentialsFolder = _lab.Temp.Combine("disk"), ScriptFolder = _lab.Temp.Combine("scripts"),
            DataPaths = [_lab.Temp.Combine("data")], RestoreRoots = [_lab.Temp.Combine("restore")], AuditLogPath = _lab.Temp.Combine("disk-audit.jsonl"),
        });

        var firewall = _lab.Firewall;
        var before = await firewall.SnapshotAsync();
        using var controllerCert = _lab.Ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        var order = new TransferJobRequest
        {
            JobId = "job-7",
            MediaAgentUrl = $"https://{ZoneAddresses.Controller}:{MediaPort}",
            MediaAgentId = "media-1",
            Token = _lab.Ca.TokenSigner.Issue("job-7", "portal-db", "media-1", JobDirection.Backup, TimeSpan.FromHours(1)),
            Paths = [_lab.Temp.Combine("data", "db")],
        };

        // The controller reaches the disk agent through its own window for the whole job.
        var control = await firewall.OpenWindowAsync(new FirewallWindowRequest(DiskPort, ZoneAddresses.Controller, ZoneAddresses.Protected, "job-7-control"));
        using (var controller = _lab.ControllerClient(controllerCert, "portal-db", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(90)))
        {
            // 1. The media agent's port is still closed: the disk agent cannot connect.
            using (var refused = await controller.PostAsJsonAsync(new Uri($"https://{ZoneAddresses.Protected}:{DiskPort}/v1/jobs/backup"), order, JsonSerializerOptions.Web))
            {
                refused.StatusCode.Should().Be(HttpStatusCode.BadGateway, await refused.Content.ReadAsStringAsync());
            }

            // 2. Inside the job's window the stream goes through and is sealed into a snapshot.
            var data = await firewall.OpenWindowAsync(new FirewallWindowRequest(MediaPort, ZoneAddresses.Protected, ZoneAddresses.Controller, "job-7"));
            var lines = await TransferLines.PostAsync(controller, new Uri($"https://{ZoneAddresses.Protected}:{DiskPort}/v1/jobs/backup"), order);
            var result = TransferLines.Result(lines);
            result.Backup!.Snapshot!.System.Should().Be("portal-db");
            result.Backup.Progress.SentBytes.Should().Be(3_000_000);
            await firewall.CloseWindowAsync(data);

            // 3. Closed again: a new connection from the protected zone fails.
            (await _lab.Zones.Protected.CanConnectAsync(ZoneAddresses.Controller, MediaPort, TimeSpan.FromSeconds(2))).Should().BeFalse();
        }

        await firewall.CloseWindowAsync(control);
        (await firewall.SnapshotAsync()).Compare(before).Identical.Should().BeTrue("the rule set is byte-identical after the windows");
        File.ReadAllText(_lab.Temp.Combine("media-audit.jsonl")).Should().Contain("disk:portal-db").And.Contain("session.seal");
    }
}
