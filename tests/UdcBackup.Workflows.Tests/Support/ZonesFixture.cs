using UdcBackup.Activities.Firewall;
using UdcBackup.Firewall;
using UdcBackup.Firewall.Nftables;
using UdcBackup.Testing.Zones;

namespace UdcBackup.Workflows.Tests.Support;

/// <summary>
/// One set of network-namespace zones for the whole collection (building them costs about a
/// second): a real nftables firewall between the controller zone and the protected zone, with
/// the designated port closed by the managed chain. Tests use distinct run ids, so their rules
/// never mix, and run one after another inside the collection, so rule set snapshots taken
/// before and after a run compare only that run's effect.
/// </summary>
public sealed class ZonesFixture : IAsyncLifetime
{
    public const int DesignatedPort = 9101;

    private NetworkZones? _zones;

    public NetworkZones Zones => _zones ?? throw new InvalidOperationException("zones not built");

    /// <summary>The zone firewall as the site (and so the activities) describe it.</summary>
    public FirewallTarget Target => new("zone", DesignatedPort, Zones.Firewall.Name, null, "inet", "udcbackup", "forward");

    public IFirewall Firewall => new NftablesFirewall(Zones.FirewallOptions(Zones.Firewall, "zone"));

    public async Task InitializeAsync() => _zones = await NetworkZones.CreateAsync([DesignatedPort]);

    public async Task DisposeAsync()
    {
        if (_zones is not null)
        {
            await _zones.DisposeAsync();
        }
    }

    public Task<FirewallSnapshot> SnapshotAsync() => Firewall.SnapshotAsync();

    public async Task<int> WindowsOfAsync(string runId) => (await Firewall.ListWindowsAsync(JobTag.For(runId))).Count(w => w.Tag == JobTag.For(runId));
}
