using System.Text.RegularExpressions;

namespace UdcBackup.Firewall.Nftables;

/// <summary>
/// Where the project's own nftables rules live and how nft is run. The defaults describe a
/// gateway firewall: table <c>inet udcbackup</c>, base chain <c>forward</c> hooked at forward with
/// priority -10 (before the usual filter priority 0 of a site's own chains).
/// </summary>
public sealed partial class NftablesOptions
{
    /// <summary>Name of this firewall in windows and logs.</summary>
    public string Name { get; set; } = "nftables";

    /// <summary>
    /// Arguments placed before the nft program, e.g. <c>["ip", "netns", "exec", "fw"]</c> to act
    /// inside a network namespace, or <c>["sudo", "-n"]</c>. Empty runs nft directly.
    /// </summary>
    public IList<string> CommandPrefix { get; set; } = [];

    /// <summary>The nft program.</summary>
    public string NftPath { get; set; } = "nft";

    /// <summary>Table family: inet (IPv4 and IPv6), ip or ip6.</summary>
    public string Family { get; set; } = "inet";

    /// <summary>The project's own table; nothing outside it is ever changed.</summary>
    public string Table { get; set; } = "udcbackup";

    /// <summary>The managed base chain inside <see cref="Table"/>.</summary>
    public string Chain { get; set; } = "forward";

    /// <summary>Netfilter hook of the chain: forward on a gateway, input on the agent's own host.</summary>
    public string Hook { get; set; } = "forward";

    /// <summary>Chain priority; any value works because a drop in any chain is final.</summary>
    public int Priority { get; set; } = -10;

    /// <summary>The designated ports this firewall keeps closed except inside windows.</summary>
    public IList<int> DesignatedPorts { get; set; } = [];

    /// <summary>Returns a validated copy, so later changes by the caller have no effect.</summary>
    public NftablesOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("Firewall name is empty", nameof(Name));
        }

        if (Family is not ("inet" or "ip" or "ip6"))
        {
            throw new ArgumentException($"Table family '{Family}' is not supported: use inet, ip or ip6", nameof(Family));
        }

        foreach (var (value, what) in new[] { (Table, "Table"), (Chain, "Chain") })
        {
            if (!IdentifierPattern().IsMatch(value ?? string.Empty))
            {
                throw new ArgumentException($"{what} name '{value}' must be 1-32 characters from A-Z a-z 0-9 _ - and start with a letter", what);
            }
        }

        if (Hook is not ("forward" or "input"))
        {
            throw new ArgumentException($"Hook '{Hook}' is not supported: use forward (gateway) or input (agent host)", nameof(Hook));
        }

        if (string.IsNullOrWhiteSpace(NftPath))
        {
            throw new ArgumentException("The nft program path is empty", nameof(NftPath));
        }

        if (DesignatedPorts.Count == 0 || DesignatedPorts.Any(p => p is < 1 or > 65535))
        {
            throw new ArgumentException("Configure at least one designated port (1-65535)", nameof(DesignatedPorts));
        }

        return new NftablesOptions
        {
            Name = Name,
            CommandPrefix = CommandPrefix.ToList(),
            NftPath = NftPath,
            Family = Family,
            Table = Table,
            Chain = Chain,
            Hook = Hook,
            Priority = Priority,
            DesignatedPorts = DesignatedPorts.Distinct().Order().ToList(),
        };
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
