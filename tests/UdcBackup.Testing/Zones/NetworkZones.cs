using System.Globalization;
using UdcBackup.Firewall.Nftables;
using UdcBackup.Testing.Processes;

namespace UdcBackup.Testing.Zones;

/// <summary>
/// A small data center in network namespaces: a controller zone and a protected zone joined
/// through a firewall namespace (routing, nftables), optionally an internet-facing system behind
/// a second (edge) firewall. Each firewall has a foreign site table (<c>inet site</c>, with rules
/// the project must never touch) and the project's managed chain installed, so every designated
/// port is closed until a window opens it.
/// <para>
/// Names are <c>udcz-PID-RANDOM-role</c>: unique per run, and a later run deletes namespaces whose
/// creating process is gone (a crashed run). Creation failure tears down what was built;
/// <see cref="DisposeAsync"/> always deletes every namespace (veths and rules go with them).
/// </para>
/// </summary>
public sealed class NetworkZones : IAsyncDisposable
{
    /// <summary>Prefix of every namespace this fixture creates.</summary>
    public const string NamePrefix = "udcz-";

    /// <summary>The site's own table loaded into each firewall: rules that must survive untouched.</summary>
    public const string SiteRuleset = """
        table inet site {
        	chain forward {
        		type filter hook forward priority filter; policy accept;
        		ip saddr 192.0.2.99 drop comment "site: blocked host"
        		tcp dport 22 counter accept comment "site: ssh"
        	}
        }

        """;

    private readonly List<NetworkNamespace> _created = [];

    private NetworkZones(string runId, IReadOnlyList<int> designatedPorts)
    {
        RunId = runId;
        DesignatedPorts = designatedPorts;
        Controller = new NetworkNamespace($"{NamePrefix}{runId}-uc");
        Firewall = new NetworkNamespace($"{NamePrefix}{runId}-fw");
        Protected = new NetworkNamespace($"{NamePrefix}{runId}-oc");
    }

    /// <summary>The run's unique part of the names.</summary>
    public string RunId { get; }

    /// <summary>Ports the managed chains keep closed.</summary>
    public IReadOnlyList<int> DesignatedPorts { get; }

    /// <summary>Controller zone (cell manager, media agent): <see cref="ZoneAddresses.Controller"/>.</summary>
    public NetworkNamespace Controller { get; }

    /// <summary>The zone firewall between controller and protected zone.</summary>
    public NetworkNamespace Firewall { get; }

    /// <summary>Protected zone (disk agent): <see cref="ZoneAddresses.Protected"/>.</summary>
    public NetworkNamespace Protected { get; }

    /// <summary>The edge firewall in front of the internet-facing system, when built.</summary>
    public NetworkNamespace? EdgeFirewall { get; private set; }

    /// <summary>The internet-facing system (<see cref="ZoneAddresses.InternetFacing"/>), when built.</summary>
    public NetworkNamespace? InternetFacing { get; private set; }

    /// <summary>Builds the zones; fails with a clear message when root or a tool is missing.</summary>
    public static async Task<NetworkZones> CreateAsync(IReadOnlyList<int> designatedPorts, bool withInternetFacingSystem = false)
    {
        Requirements.Root("network namespaces and nftables");
        Requirements.Program("ip", "iproute2");
        Requirements.Program("nft", "nftables");
        await RemoveStaleAsync();

        var runId = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}");
        var zones = new NetworkZones(runId, designatedPorts);
        try
        {
            await zones.BuildAsync(withInternetFacingSystem);
            return zones;
        }
        catch
        {
            await zones.DisposeAsync();
            throw;
        }
    }

    /// <summary>Options for an <see cref="NftablesFirewall"/> acting inside <paramref name="firewall"/>.</summary>
    public NftablesOptions FirewallOptions(NetworkNamespace firewall, string name = "zone") => new()
    {
        Name = name,
        CommandPrefix = firewall.ExecPrefix.ToList(),
        DesignatedPorts = DesignatedPorts.ToList(),
    };

    /// <summary>Deletes namespaces of this prefix whose creating process no longer runs.</summary>
    public static async Task RemoveStaleAsync()
    {
        foreach (var name in await ListOwnAsync())
        {
            var pidText = name[NamePrefix.Length..].Split('-')[0];
            if (int.TryParse(pidText, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                await ProcessRun.RunAsync(["ip", "netns", "delete", name]);
            }
        }
    }

    /// <summary>Names of all namespaces with this fixture's prefix.</summary>
    public static async Task<IReadOnlyList<string>> ListOwnAsync()
    {
        var list = await ProcessRun.CheckedAsync(["ip", "netns", "list"]);
        return list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])
            .Where(n => n.StartsWith(NamePrefix, StringComparison.Ordinal))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in Enumerable.Reverse(_created))
        {
            await ProcessRun.RunAsync(["ip", "netns", "delete", ns.Name]);
        }

        _created.Clear();
    }

    private async Task BuildAsync(bool withInternetFacingSystem)
    {
        await AddAsync(Controller);
        await AddAsync(Firewall);
        await AddAsync(Protected);
        await LinkAsync(Controller, "fw0", "198.51.100.2/24", Firewall, "uc0", "198.51.100.1/24");
        await LinkAsync(Protected, "fw0", "203.0.113.2/28", Firewall, "oc0", "203.0.113.1/28");
        await Controller.ExecAsync("ip", "route", "add", "default", "via", "198.51.100.1");
        await Protected.ExecAsync("ip", "route", "add", "default", "via", "203.0.113.1");
        await PrepareFirewallAsync(Firewall, "zone");

        if (withInternetFacingSystem)
        {
            EdgeFirewall = new NetworkNamespace($"{NamePrefix}{RunId}-efw");
            InternetFacing = new NetworkNamespace($"{NamePrefix}{RunId}-dmz");
            await AddAsync(EdgeFirewall);
            await AddAsync(InternetFacing);
            await LinkAsync(EdgeFirewall, "fw0", "203.0.113.18/28", Firewall, "edge0", "203.0.113.17/28");
            await LinkAsync(InternetFacing, "fw0", "192.0.2.2/24", EdgeFirewall, "dmz0", "192.0.2.1/24");
            await InternetFacing.ExecAsync("ip", "route", "add", "default", "via", "192.0.2.1");
            await EdgeFirewall.ExecAsync("ip", "route", "add", "default", "via", "203.0.113.17");
            await Firewall.ExecAsync("ip", "route", "add", "192.0.2.0/24", "via", "203.0.113.18");
            await PrepareFirewallAsync(EdgeFirewall, "edge");
        }
    }

    private async Task AddAsync(NetworkNamespace ns)
    {
        await ProcessRun.CheckedAsync(["ip", "netns", "add", ns.Name]);
        _created.Add(ns);
        await ns.ExecAsync("ip", "link", "set", "lo", "up");
    }

    private static async Task LinkAsync(NetworkNamespace a, string aName, string aAddress, NetworkNamespace b, string bName, string bAddress)
    {
        // Created directly inside the namespaces: no interface name ever exists on the host, so
        // parallel runs cannot collide.
        await ProcessRun.CheckedAsync(["ip", "link", "add", aName, "netns", a.Name, "type", "veth", "peer", "name", bName, "netns", b.Name]);
        await ProcessRun.CheckedAsync(["ip", "-n", a.Name, "addr", "add", aAddress, "dev", aName]);
        await ProcessRun.CheckedAsync(["ip", "-n", b.Name, "addr", "add", bAddress, "dev", bName]);
        await ProcessRun.CheckedAsync(["ip", "-n", a.Name, "link", "set", aName, "up"]);
        await ProcessRun.CheckedAsync(["ip", "-n", b.Name, "link", "set", bName, "up"]);
    }

    private async Task PrepareFirewallAsync(NetworkNamespace firewall, string name)
    {
        await firewall.ExecAsync("sysctl", "-qw", "net.ipv4.ip_forward=1");
        await firewall.ExecWithInputAsync(SiteRuleset, "nft", "-f", "-");
        await new NftablesFirewall(FirewallOptions(firewall, name)).InstallAsync();
    }
}
