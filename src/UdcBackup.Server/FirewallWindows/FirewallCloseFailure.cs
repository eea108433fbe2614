namespace UdcBackup.Server.FirewallWindows;

/// <summary>A leftover window the sweep tried to close and could not; the next sweep tries again.</summary>
public sealed record FirewallCloseFailure(FirewallWindowInfo Window, string Error);
