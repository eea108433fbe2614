using UdcBackup.Testing.Processes;
using UdcBackup.Testing.Zones;

namespace UdcBackup.Firewall.Tests;

public sealed class NetworkZonesTests
{
    [Fact]
    public async Task Stale_namespaces_of_a_crashed_run_are_removed_and_live_ones_kept_and_dispose_removes_all()
    {
        // No process can have this pid (above the kernel's pid_max limit of 2^22).
        var stale = $"{NetworkZones.NamePrefix}4194305-dead-uc";
        await ProcessRun.CheckedAsync(["ip", "netns", "add", stale]);

        var zones = await NetworkZones.CreateAsync([5555]);
        var own = await NetworkZones.ListOwnAsync();
        own.Should().NotContain(stale);
        own.Should().Contain([zones.Controller.Name, zones.Firewall.Name, zones.Protected.Name]);

        await zones.DisposeAsync();
        (await NetworkZones.ListOwnAsync()).Should().NotContain(n => n.Contains(zones.RunId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Zones_route_through_the_firewall_and_only_the_designated_port_is_closed()
    {
        await using var zones = await NetworkZones.CreateAsync([5555]);
        using var open = zones.Controller.Listen(System.Net.IPAddress.Any, 8080);
        using var closed = zones.Controller.Listen(System.Net.IPAddress.Any, 5555);

        (await zones.Protected.CanConnectAsync(ZoneAddresses.Controller, 8080, TimeSpan.FromSeconds(2))).Should().BeTrue();
        (await zones.Protected.CanConnectAsync(ZoneAddresses.Controller, 5555, TimeSpan.FromSeconds(1))).Should().BeFalse();
        var route = await zones.Protected.ExecAsync("ip", "route", "get", ZoneAddresses.Controller.ToString());
        route.Should().Contain("via 203.0.113.1");
    }

    [Fact]
    public async Task A_process_runs_inside_a_zone_and_is_killed_on_dispose()
    {
        await using var zones = await NetworkZones.CreateAsync([5555]);
        var process = ZoneProcess.Start(zones.Protected, ["sh", "-c", "ip -4 -o addr show dev fw0; echo ready; exec sleep 60"]);
        await process.WaitForOutputAsync("ready", TimeSpan.FromSeconds(10));
        process.Output.Should().Contain("203.0.113.2/28", "the process sees the protected zone's network");

        var pid = process.Id;
        await process.DisposeAsync();
        Directory.Exists($"/proc/{pid}").Should().BeFalse();
    }
}
