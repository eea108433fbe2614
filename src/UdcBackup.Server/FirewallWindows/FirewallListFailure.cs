namespace UdcBackup.Server.FirewallWindows;

/// <summary>A site firewall whose windows could not be listed (unreachable, nft failed, a kind the controller does not drive), with the reason.</summary>
public sealed record FirewallListFailure(string Firewall, string Error);
