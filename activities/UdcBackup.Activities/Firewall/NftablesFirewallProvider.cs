using UdcBackup.Firewall;
using UdcBackup.Firewall.Nftables;
using UdcBackup.Firewall.Processes;

namespace UdcBackup.Activities.Firewall;

/// <summary>
/// Builds <see cref="NftablesFirewall"/> instances from site firewalls: nft runs inside the
/// firewall's network namespace (<c>ip netns exec NS</c>) or behind its command prefix, on the
/// managed table and chain named in the site, with the site's designated port. The firewall's
/// policy (managed chain and the port's drop rule) must have been installed once
/// (<see cref="NftablesFirewall.InstallAsync"/>); opening refuses otherwise, so a window is never
/// "opened" on a firewall that does not keep the port closed.
/// </summary>
public sealed class NftablesFirewallProvider : IFirewallProvider
{
    private readonly ICommandRunner? _runner;
    private readonly TimeProvider? _time;

    public NftablesFirewallProvider(ICommandRunner? runner = null, TimeProvider? time = null)
    {
        _runner = runner;
        _time = time;
    }

    /// <summary>The nftables options of a site firewall.</summary>
    public static NftablesOptions OptionsOf(FirewallTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var prefix = new List<string>();
        if (!string.IsNullOrWhiteSpace(target.Namespace))
        {
            prefix.AddRange(["ip", "netns", "exec", target.Namespace]);
        }

        if (!string.IsNullOrWhiteSpace(target.CommandPrefix))
        {
            prefix.AddRange(target.CommandPrefix.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return new NftablesOptions
        {
            Name = target.Name,
            CommandPrefix = prefix,
            Family = target.Family,
            Table = target.Table,
            Chain = target.Chain,
            DesignatedPorts = [target.DesignatedPort],
        };
    }

    public IFirewall Get(FirewallTarget target) => new NftablesFirewall(OptionsOf(target), _runner, _time);
}
