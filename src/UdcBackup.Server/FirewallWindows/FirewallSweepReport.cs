namespace UdcBackup.Server.FirewallWindows;

/// <summary>
/// What one sweep did: the leftover windows it closed, the windows it left (their run is running,
/// or unknown to this controller), the leftovers whose close failed, and the firewalls it could not list.
/// </summary>
public sealed record FirewallSweepReport(
    IReadOnlyList<FirewallWindowInfo> Closed,
    IReadOnlyList<FirewallWindowInfo> Left,
    IReadOnlyList<FirewallCloseFailure> Failed,
    IReadOnlyList<FirewallListFailure> FirewallErrors);
