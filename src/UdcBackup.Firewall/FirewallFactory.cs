using UdcBackup.Firewall.Nftables;
using UdcBackup.Firewall.Processes;
using UdcBackup.Firewall.Templates;

namespace UdcBackup.Firewall;

/// <summary>
/// Builds firewalls from configuration, failing at start with a message that names the missing or
/// invalid setting rather than at the first job.
/// </summary>
public static class FirewallFactory
{
    /// <summary>Creates the configured firewall (options are validated here).</summary>
    public static IFirewall Create(FirewallConfiguration configuration, ICommandRunner? runner = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Kind switch
        {
            "nftables" => new NftablesFirewall(
                configuration.Nftables ?? throw new ArgumentException("Firewall kind 'nftables' needs an 'nftables' section", nameof(configuration)),
                runner,
                time),
            "command" => new CommandTemplateFirewall(
                configuration.Command ?? throw new ArgumentException("Firewall kind 'command' needs a 'command' section", nameof(configuration)),
                runner,
                time),
            _ => throw new ArgumentException($"Firewall kind '{configuration.Kind}' is unknown: use 'nftables' or 'command'", nameof(configuration)),
        };
    }

    /// <summary>Creates the window set for a zone firewall and an optional edge firewall.</summary>
    public static FirewallWindowSet CreateSet(FirewallConfiguration zone, FirewallConfiguration? edge = null, ICommandRunner? runner = null, TimeProvider? time = null) =>
        new(Create(zone, runner, time), edge is null ? null : Create(edge, runner, time));
}
