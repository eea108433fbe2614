using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Repository;
using UdcBackup.Firewall;
using UdcBackup.Firewall.Nftables;
using UdcBackup.Testing.Processes;
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

    private readonly TempFolder _temp = new();
    private NetworkZones _zones = null!;
    private CertificateAuthority _ca = null!;

    public async Task InitializeAsync()
    {
        _zones = await NetworkZones.CreateAsync([DiskPort, MediaPort]);
        _ca = CertificateAuthority.CreateOrOpen(_temp.Combine("ca"));
    }

    public async Task DisposeAsync()
    {
        await _zones.DisposeAsync();
        _ca.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task The_disk_agent_streams_to_the_media_agent_only_inside_the_jobs_window()
    {
        Enroll("portal-db", AgentRole.Disk, "disk");
        Enroll("media-1", AgentRole.Media, "media");
        Directory.CreateDirectory(_temp.Combine("data", "db"));
        File.WriteAllBytes(_temp.Combine("data", "db", "table.bin"), RandomNumberGenerator.GetBytes(3_000_000));
        File.WriteAllText(_temp.Combine("repo-password"), "pw\n");
        ArchiveRepository.Init(_temp.Combine("repo"), "pw", kdfIterations: 1000).Dispose();
        Directory.CreateDirectory(_temp.Combine("scripts"));
        Directory.CreateDirectory(_temp.Combine("restore"));

        await using var media = await StartAsync(_zones.Controller, "media", new MediaAgentOptions
        {
            Port = MediaPort, CredentialsFolder = _temp.Combine("media"), RepositoryPath = _temp.Combine("repo"),
            RepositoryPasswordFile = _temp.Combine("repo-password"), AuditLogPath = _temp.Combine("media-audit.jsonl"),
        });
        await using var disk = await StartAsync(_zones.Protected, "disk", new DiskAgentOptions
        {
            Port = DiskPort, CredentialsFolder = _temp.Combine("disk"), ScriptFolder = _temp.Combine("scripts"),
            DataPaths = [_temp.Combine("data")], RestoreRoots = [_temp.Combine("restore")], AuditLogPath = _temp.Combine("disk-audit.jsonl"),
        });

        var firewall = new NftablesFirewall(_zones.FirewallOptions(_zones.Firewall));
        var before = await firewall.SnapshotAsync();
        using var controllerCert = _ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        var order = new TransferJobRequest
        {
            JobId = "job-7",
            MediaAgentUrl = $"https://{ZoneAddresses.Controller}:{MediaPort}",
            MediaAgentId = "media-1",
            Token = _ca.TokenSigner.Issue("job-7", "portal-db", "media-1", JobDirection.Backup, TimeSpan.FromHours(1)),
            Paths = [_temp.Combine("data", "db")],
        };

        // The controller reaches the disk agent through its own window for the whole job.
        var control = await firewall.OpenWindowAsync(new FirewallWindowRequest(DiskPort, ZoneAddresses.Controller, ZoneAddresses.Protected, "job-7-control"));
        using (var controller = ControllerClient(controllerCert))
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
            (await _zones.Protected.CanConnectAsync(ZoneAddresses.Controller, MediaPort, TimeSpan.FromSeconds(2))).Should().BeFalse();
        }

        await firewall.CloseWindowAsync(control);
        (await firewall.SnapshotAsync()).Compare(before).Identical.Should().BeTrue("the rule set is byte-identical after the windows");
        File.ReadAllText(_temp.Combine("media-audit.jsonl")).Should().Contain("disk:portal-db").And.Contain("session.seal");
    }

    private async Task<ZoneProcess> StartAsync(NetworkNamespace zone, string role, object options)
    {
        var config = _temp.Combine($"{role}.json");
        File.WriteAllText(config, JsonSerializer.Serialize(options, options.GetType(), JsonSerializerOptions.Web));
        var process = ZoneProcess.Start(zone, UdcProgram.Command("agent", role, "--config", config));
        await process.WaitForOutputAsync("listening on", TimeSpan.FromSeconds(90));
        return process;
    }

    private HttpClient ControllerClient(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var handler = MutualTls.CreateClientHandler(certificate, _ca.Certificate, "portal-db", AgentRole.Disk);
        handler.ConnectCallback = (context, cancellationToken) => _zones.Controller.ConnectStreamAsync(context.DnsEndPoint, cancellationToken);
        handler.ConnectTimeout = TimeSpan.FromSeconds(5);
        return new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(90),
        };
    }

    private void Enroll(string system, AgentRole role, string folder)
    {
        var token = _ca.EnrollmentTokens.Issue(new SystemIdentity(system, role), TimeSpan.FromMinutes(5));
        var (key, csr) = AgentCredentials.CreateSigningRequest();
        using (key)
        {
            AgentCredentials.Save(_temp.Combine(folder), key, _ca.Enroll(new EnrollmentRequest(token, csr))).Dispose();
        }
    }
}
