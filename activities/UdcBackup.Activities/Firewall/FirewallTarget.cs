using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Firewall;

/// <summary>
/// A firewall of the site as plain data (copied from the site model when a job starts), so an
/// activity can reach it after a controller restart without reading the site again.
/// </summary>
/// <param name="Name">The firewall's name in the site.</param>
/// <param name="DesignatedPort">The port it keeps closed except during jobs.</param>
/// <param name="Namespace">Network namespace nft runs in, if any.</param>
/// <param name="CommandPrefix">Words put before every nft call (e.g. <c>ssh fw1 sudo</c>), if any.</param>
/// <param name="Family">nftables family of the managed table.</param>
/// <param name="Table">The managed table.</param>
/// <param name="Chain">The managed chain.</param>
public sealed record FirewallTarget(
    [property: ActivityInput(ActivityInputKind.String, "Firewall name in the site", Required = true)] string Name,
    [property: ActivityInput(ActivityInputKind.Port, "Designated port", Required = true)] int DesignatedPort,
    string? Namespace,
    string? CommandPrefix,
    string Family = "inet",
    string Table = "udc",
    string Chain = "forward");
