namespace UdcBackup.Firewall;

/// <summary>
/// Opens and closes per-job windows through a firewall's designated port. Every operation is safe
/// to retry: opening a window that is already open for the same job and endpoints returns the
/// existing one, closing a window that is gone succeeds, so at-least-once activities can call them.
/// </summary>
public interface IFirewall
{
    /// <summary>Name of this firewall (from configuration), recorded in each window.</summary>
    string Name { get; }

    /// <summary>Admits the request's traffic until the window is closed.</summary>
    Task<FirewallWindow> OpenWindowAsync(FirewallWindowRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes exactly that window's rule; succeeds when it is already gone.</summary>
    Task CloseWindowAsync(FirewallWindow window, CancellationToken cancellationToken = default);

    /// <summary>Lists open windows whose tag starts with <paramref name="tagPrefix"/> (e.g. <c>udc:job=</c>).</summary>
    Task<IReadOnlyList<FirewallWindow>> ListWindowsAsync(string tagPrefix = JobTag.Prefix, CancellationToken cancellationToken = default);

    /// <summary>Captures the whole rule set so it can be compared after the window closes.</summary>
    Task<FirewallSnapshot> SnapshotAsync(CancellationToken cancellationToken = default);
}
