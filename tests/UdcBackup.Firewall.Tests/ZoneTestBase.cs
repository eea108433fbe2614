using System.Net;
using System.Net.Sockets;
using UdcBackup.Firewall.Nftables;
using UdcBackup.Testing.Zones;

namespace UdcBackup.Firewall.Tests;

/// <summary>
/// Builds fresh zones per test (so no test sees another's rules) with a listener on the
/// designated port in the controller zone: the media agent's side, which the protected system's
/// disk agent dials during a job.
/// </summary>
public abstract class ZoneTestBase : IAsyncLifetime
{
    protected const int Port = 5555;
    protected const int OtherPort = 5556;

    /// <summary>A dropped SYN never answers; this is how long a probe waits before calling the port closed.</summary>
    protected static readonly TimeSpan ClosedProbe = TimeSpan.FromSeconds(1);

    private readonly bool _withInternetFacingSystem;
    private readonly List<TcpListener> _listeners = [];
    private NetworkZones? _zones;

    protected ZoneTestBase(bool withInternetFacingSystem = false)
    {
        _withInternetFacingSystem = withInternetFacingSystem;
    }

    protected NetworkZones Zones => _zones ?? throw new InvalidOperationException("zones not built");

    public async Task InitializeAsync()
    {
        _zones = await NetworkZones.CreateAsync([Port, OtherPort], _withInternetFacingSystem);
        foreach (var port in new[] { Port, OtherPort })
        {
            var listener = Zones.Controller.Listen(IPAddress.Any, port);
            _listeners.Add(listener);
            _ = AcceptForeverAsync(listener);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var l in _listeners)
        {
            l.Stop();
        }

        if (_zones is not null)
        {
            await _zones.DisposeAsync();
        }
    }

    protected NftablesFirewall ZoneFirewall() => new(Zones.FirewallOptions(Zones.Firewall, "zone"));

    protected static FirewallWindowRequest ProtectedToController(string jobId, int port = Port) =>
        new(port, ZoneAddresses.Protected, ZoneAddresses.Controller, jobId);

    protected Task<bool> ProtectedCanReachControllerAsync(int port = Port) =>
        Zones.Protected.CanConnectAsync(ZoneAddresses.Controller, port, ClosedProbe);

    private static async Task AcceptForeverAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // The listener was stopped at the end of the test.
        }
    }
}
