using UdcBackup.Firewall.Nftables;
using UdcBackup.Firewall.Templates;

namespace UdcBackup.Firewall;

/// <summary>
/// One firewall as configured by an operator (bound from JSON/YAML): <see cref="Kind"/> selects
/// the implementation and the matching options section must be present.
/// </summary>
public sealed class FirewallConfiguration
{
    /// <summary><c>nftables</c> or <c>command</c>.</summary>
    public string Kind { get; set; } = "nftables";

    /// <summary>Options when <see cref="Kind"/> is <c>nftables</c>.</summary>
    public NftablesOptions? Nftables { get; set; }

    /// <summary>Options when <see cref="Kind"/> is <c>command</c>.</summary>
    public CommandTemplateOptions? Command { get; set; }
}
