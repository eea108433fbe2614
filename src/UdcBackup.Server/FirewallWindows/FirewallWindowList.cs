namespace UdcBackup.Server.FirewallWindows;

/// <summary>The answer of <c>GET /api/firewall/windows</c>: every tagged window of the applied site's firewalls, and the firewalls that could not be listed.</summary>
public sealed record FirewallWindowList(IReadOnlyList<FirewallWindowInfo> Windows, IReadOnlyList<FirewallListFailure> FirewallErrors);
