namespace UdcBackup.Activities.Firewall;

/// <summary>A window that is open: where, its tag and the firewall's handle of the rule (plain data for the history).</summary>
public sealed record OpenedWindow(string Firewall, string SystemId, string Tag, string Handle, string SourceAddress, string DestinationAddress, int Port);
