namespace UdcBackup.Site.Model;

/// <summary>How windows are opened on a firewall.</summary>
public enum FirewallKind
{
    /// <summary>Rules inserted into an nftables chain, locally, in a network namespace or through a command prefix.</summary>
    Nftables,

    /// <summary>Operator-supplied open/close command templates for any other firewall.</summary>
    Command,
}
