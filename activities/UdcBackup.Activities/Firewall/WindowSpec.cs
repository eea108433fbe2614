namespace UdcBackup.Activities.Firewall;

/// <summary>One window to open: on <paramref name="Firewall"/>, TCP from the system's address to the media agent's on the designated port.</summary>
public sealed record WindowSpec(FirewallTarget Firewall, string SystemId, string SourceAddress, string DestinationAddress);
