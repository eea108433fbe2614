using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;
using UdcBackup.Firewall.Nftables;
using UdcBackup.Testing.Processes;
using UdcBackup.Testing.Zones;

namespace UdcBackup.Agents.Tests.Zones;

/// <summary>
/// What every test across the zone firewall starts with: the namespaces (controller, firewall,
/// protected zone) with the given designated ports closed, the controller's CA in a temporary
/// folder, the zone firewall's nftables adapter, and the means to run agents there as real
/// <c>udc agent</c> processes and to reach them as the controller from the controller zone.
/// Disposing stops nothing the test did not start through it; it deletes the namespaces, the CA
/// and the folder.
/// </summary>
public sealed class ZoneAgents : IAsyncDisposable
{
    private ZoneAgents(TempFolder temp, NetworkZones zones)
    {
        Temp = temp;
        Zones = zones;
        Ca = CertificateAuthority.CreateOrOpen(temp.Combine("ca"));
        Firewall = new NftablesFirewall(zones.FirewallOptions(zones.Firewall));
    }

    public TempFolder Temp { get; }

    public NetworkZones Zones { get; }

    public CertificateAuthority Ca { get; }

    /// <summary>The zone firewall between the controller zone and the protected zone.</summary>
    public NftablesFirewall Firewall { get; }

    public static async Task<ZoneAgents> StartAsync(IReadOnlyList<int> designatedPorts)
    {
        var temp = new TempFolder();
        try
        {
            return new ZoneAgents(temp, await NetworkZones.CreateAsync(designatedPorts));
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    /// <summary>Credentials for <paramref name="system"/> in <c>Temp/folder</c>, enrolled in-process with a fresh token.</summary>
    public void Enroll(string system, AgentRole role, string folder)
    {
        var token = Ca.EnrollmentTokens.Issue(new SystemIdentity(system, role), TimeSpan.FromMinutes(5));
        var (key, csr) = AgentCredentials.CreateSigningRequest();
        using (key)
        {
            AgentCredentials.Save(Temp.Combine(folder), key, Ca.Enroll(new EnrollmentRequest(token, csr))).Dispose();
        }
    }

    /// <summary>
    /// Writes <paramref name="options"/> to <c>Temp/role.json</c> and runs <c>udc agent role</c> in
    /// <paramref name="zone"/> until it says it is listening (the caller disposes the process).
    /// </summary>
    public async Task<ZoneProcess> StartAgentAsync(NetworkNamespace zone, string role, object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = Temp.Combine($"{role}.json");
        File.WriteAllText(config, JsonSerializer.Serialize(options, options.GetType(), JsonSerializerOptions.Web));
        var process = ZoneProcess.Start(zone, UdcProgram.Command("agent", role, "--config", config));
        try
        {
            await process.WaitForOutputAsync("listening on", TimeSpan.FromSeconds(90));
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The controller's mutual-TLS client to the disk agent of <paramref name="diskSystem"/>,
    /// connecting from the controller zone (so every connection crosses the zone firewall).
    /// </summary>
    public HttpClient ControllerClient(X509Certificate2 certificate, string diskSystem, TimeSpan connectTimeout, TimeSpan timeout)
    {
        var handler = MutualTls.CreateClientHandler(certificate, Ca.Certificate, diskSystem, AgentRole.Disk);
        handler.ConnectCallback = (context, cancellationToken) => Zones.Controller.ConnectStreamAsync(context.DnsEndPoint, cancellationToken);
        handler.ConnectTimeout = connectTimeout;
        return new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = timeout,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await Zones.DisposeAsync();
        Ca.Dispose();
        Temp.Dispose();
    }
}
