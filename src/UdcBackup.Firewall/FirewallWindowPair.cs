namespace UdcBackup.Firewall;

/// <summary>The windows of one job: on the zone firewall and, when configured, on the second one.</summary>
public sealed record FirewallWindowPair(FirewallWindow Primary, FirewallWindow? Secondary);
