using UdcBackup.Firewall.Nftables;
using UdcBackup.Testing.Zones;

namespace UdcBackup.Firewall.Tests;

/// <summary>
/// An internet-facing protected system sits behind an edge firewall and the zone firewall; its
/// traffic to the controller zone needs a window on both.
/// </summary>
public sealed class FirewallWindowSetTests : ZoneTestBase
{
    public FirewallWindowSetTests()
        : base(withInternetFacingSystem: true)
    {
    }

    private NftablesFirewall EdgeFirewall() => new(Zones.FirewallOptions(Zones.EdgeFirewall!, "edge"));

    private FirewallWindowRequest InternetFacingToController(string jobId) =>
        new(Port, ZoneAddresses.InternetFacing, ZoneAddresses.Controller, jobId);

    private Task<bool> InternetFacingCanReachControllerAsync() =>
        Zones.InternetFacing!.CanConnectAsync(ZoneAddresses.Controller, Port, ClosedProbe);

    [Fact]
    public async Task Both_windows_are_needed_and_both_close()
    {
        var set = new FirewallWindowSet(ZoneFirewall(), EdgeFirewall());
        var zoneBefore = await ZoneFirewall().SnapshotAsync();
        var edgeBefore = await EdgeFirewall().SnapshotAsync();

        var zoneOnly = await ZoneFirewall().OpenWindowAsync(InternetFacingToController("job-zone-only"));
        (await InternetFacingCanReachControllerAsync()).Should().BeFalse("the edge firewall still drops the port");
        await ZoneFirewall().CloseWindowAsync(zoneOnly);

        var windows = await set.OpenAsync(InternetFacingToController("job-9"));
        windows.Primary.Firewall.Should().Be("zone");
        windows.Secondary!.Firewall.Should().Be("edge");
        (await InternetFacingCanReachControllerAsync()).Should().BeTrue();

        await set.CloseAsync(windows);
        await set.CloseAsync(windows);
        (await InternetFacingCanReachControllerAsync()).Should().BeFalse();
        (await ZoneFirewall().SnapshotAsync()).Compare(zoneBefore).Identical.Should().BeTrue();
        (await EdgeFirewall().SnapshotAsync()).Compare(edgeBefore).Identical.Should().BeTrue();
    }

    [Fact]
    public async Task When_the_second_window_fails_the_first_is_closed_again()
    {
        var zoneBefore = await ZoneFirewall().SnapshotAsync();
        var options = Zones.FirewallOptions(Zones.EdgeFirewall!, "edge");
        options.Table = "missing";
        var set = new FirewallWindowSet(ZoneFirewall(), new NftablesFirewall(options));

        var open = () => set.OpenAsync(InternetFacingToController("job-10"));
        await open.Should().ThrowAsync<FirewallException>().WithMessage("*edge*does not exist*");

        (await ZoneFirewall().ListWindowsAsync()).Should().BeEmpty();
        (await ZoneFirewall().SnapshotAsync()).Compare(zoneBefore).Identical.Should().BeTrue();
    }

    [Fact]
    public async Task Leftovers_are_listed_on_both_firewalls()
    {
        var set = new FirewallWindowSet(ZoneFirewall(), EdgeFirewall());
        await set.OpenAsync(InternetFacingToController("crash-1"));

        var leftovers = await new FirewallWindowSet(ZoneFirewall(), EdgeFirewall()).ListLeftoversAsync("udc:job=crash-");
        leftovers.Select(w => w.Firewall).Should().BeEquivalentTo(["zone", "edge"]);
        foreach (var w in leftovers)
        {
            await (w.Firewall == "zone" ? ZoneFirewall() : EdgeFirewall()).CloseWindowAsync(w);
        }

        (await set.ListLeftoversAsync()).Should().BeEmpty();
        (await InternetFacingCanReachControllerAsync()).Should().BeFalse();
    }
}
