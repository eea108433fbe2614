namespace UdcBackup.Site.Planning;

/// <summary>
/// One window to open on one firewall: TCP to <see cref="Port"/> from the system's address to the
/// media agent's address. The disk agent always dials the media agent, for restores too, so the
/// direction of the rule does not depend on the direction of the data.
/// </summary>
public sealed record FirewallWindowSpec(string Firewall, string SystemId, string SourceAddress, string DestinationAddress, int Port);
