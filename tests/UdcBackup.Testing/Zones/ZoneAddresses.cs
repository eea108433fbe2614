using System.Net;

namespace UdcBackup.Testing.Zones;

/// <summary>
/// The documentation addresses (RFC 5737) used inside the namespaces; they exist only there.
/// Controller zone 198.51.100.0/24 and protected zone 203.0.113.0/28 meet at the zone firewall;
/// the optional internet-facing system sits in 192.0.2.0/24 behind an edge firewall that reaches
/// the zone firewall over 203.0.113.16/28.
/// </summary>
public static class ZoneAddresses
{
    /// <summary>The controller/media agent host in the controller zone.</summary>
    public static readonly IPAddress Controller = IPAddress.Parse("198.51.100.2");

    /// <summary>The zone firewall's address toward the controller zone.</summary>
    public static readonly IPAddress FirewallControllerSide = IPAddress.Parse("198.51.100.1");

    /// <summary>The zone firewall's address toward the protected zone.</summary>
    public static readonly IPAddress FirewallProtectedSide = IPAddress.Parse("203.0.113.1");

    /// <summary>The protected system (disk agent host).</summary>
    public static readonly IPAddress Protected = IPAddress.Parse("203.0.113.2");

    /// <summary>The zone firewall's address toward the edge firewall.</summary>
    public static readonly IPAddress FirewallEdgeSide = IPAddress.Parse("203.0.113.17");

    /// <summary>The edge firewall's address toward the zone firewall.</summary>
    public static readonly IPAddress EdgeFirewallInside = IPAddress.Parse("203.0.113.18");

    /// <summary>The edge firewall's address toward the internet-facing system.</summary>
    public static readonly IPAddress EdgeFirewallOutside = IPAddress.Parse("192.0.2.1");

    /// <summary>The internet-facing protected system behind the edge firewall.</summary>
    public static readonly IPAddress InternetFacing = IPAddress.Parse("192.0.2.2");
}
