namespace UdcBackup.Firewall;

/// <summary>
/// An open window: which firewall holds it, its tag, and the firewall's own handle of the rule
/// (an nftables rule handle, or whatever the configured open command printed). The record is
/// plain data so a workflow can keep it in its history and close the window after a restart.
/// </summary>
/// <param name="Firewall">Name of the firewall that holds the rule (from its options).</param>
/// <param name="Tag">The rule's tag, <c>udc:job=&lt;id&gt;</c>.</param>
/// <param name="Handle">The firewall's identifier of the rule; empty when the firewall has none.</param>
/// <param name="Request">What the window admits; null when listed from a firewall that cannot tell.</param>
public sealed record FirewallWindow(string Firewall, string Tag, string Handle, FirewallWindowRequest? Request)
{
    /// <summary>The job id in the tag.</summary>
    public string JobId => JobTag.TryParse(Tag) ?? Tag;
}
