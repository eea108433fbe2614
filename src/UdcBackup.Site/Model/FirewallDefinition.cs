namespace UdcBackup.Site.Model;

/// <summary>
/// A firewall between two zones whose designated port stays closed except while a job runs.
/// A system behind more than one firewall (an internet-facing one) gets a window on each
/// firewall of its route to the media agent.
/// </summary>
public sealed record FirewallDefinition(
    string Name,
    FirewallKind Kind,
    int DesignatedPort,
    IReadOnlyList<string> Between,
    NftablesSettings? Nftables,
    CommandTemplates? Commands);
