namespace UdcBackup.Server.FirewallWindows;

/// <summary>What the controller's workflow store says about the run a window's tag names.</summary>
public enum WindowRunState
{
    /// <summary>The run is still going: its workflow owns the window and closes it.</summary>
    Running,

    /// <summary>The run is closed (completed, failed or cancelled) and its window is still open: a leftover the sweep closes.</summary>
    Leftover,

    /// <summary>This controller's store has no run of that id (another controller's window on a shared firewall): never touched.</summary>
    Unknown,
}
