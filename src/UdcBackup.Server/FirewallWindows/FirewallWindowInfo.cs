namespace UdcBackup.Server.FirewallWindows;

/// <summary>
/// One open window as <c>GET /api/firewall/windows</c> lists it: where it is, what it admits (read
/// back from the rule; null when the firewall cannot tell), the run its tag names and that run's state.
/// </summary>
/// <param name="Firewall">The site firewall holding the rule.</param>
/// <param name="Port">The designated port it opens.</param>
/// <param name="Protocol">tcp or udp.</param>
/// <param name="Source">The system that may connect.</param>
/// <param name="Destination">The agent it may connect to.</param>
/// <param name="RunId">The run id in the tag (<c>udc:job=RUN</c>).</param>
/// <param name="Handle">The firewall's handle of the rule.</param>
/// <param name="RunState">Running, Leftover or Unknown.</param>
/// <param name="RunStatus">The run's status in the store (Running, Completed, Failed, Canceled); null when unknown.</param>
public sealed record FirewallWindowInfo(
    string Firewall,
    int? Port,
    string? Protocol,
    string? Source,
    string? Destination,
    string RunId,
    string Handle,
    WindowRunState RunState,
    string? RunStatus);
