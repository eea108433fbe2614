namespace UdcBackup.Firewall;

/// <summary>
/// The firewalls one job must pass: the zone firewall and, for a system that also faces the
/// internet, a second firewall in front of it. Windows are opened together: primary first, then
/// secondary; if the secondary fails the primary is closed again before the error is raised, so a
/// failed open leaves no window behind. Closing attempts both and reports every failure at once.
/// </summary>
public sealed class FirewallWindowSet
{
    private readonly IFirewall _primary;
    private readonly IFirewall? _secondary;

    public FirewallWindowSet(IFirewall primary, IFirewall? secondary = null)
    {
        ArgumentNullException.ThrowIfNull(primary);
        _primary = primary;
        _secondary = secondary;
    }

    /// <summary>The firewalls in the order windows are opened.</summary>
    public IReadOnlyList<IFirewall> Firewalls => _secondary is null ? [_primary] : [_primary, _secondary];

    /// <summary>
    /// Opens the window on both firewalls. <paramref name="secondaryRequest"/> defaults to the same
    /// endpoints (the traffic crosses both firewalls unchanged); give it when the second firewall
    /// sees translated addresses.
    /// </summary>
    public async Task<FirewallWindowPair> OpenAsync(FirewallWindowRequest request, FirewallWindowRequest? secondaryRequest = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (secondaryRequest is not null && secondaryRequest.JobId != request.JobId)
        {
            throw new ArgumentException("Both windows of a job carry the same job id", nameof(secondaryRequest));
        }

        var primary = await _primary.OpenWindowAsync(request, cancellationToken);
        if (_secondary is null)
        {
            return new FirewallWindowPair(primary, null);
        }

        try
        {
            var secondary = await _secondary.OpenWindowAsync(secondaryRequest ?? request, cancellationToken);
            return new FirewallWindowPair(primary, secondary);
        }
        catch (Exception openFailure)
        {
            try
            {
                // The rollback must run even when the caller's token caused the failure.
                await _primary.CloseWindowAsync(primary, CancellationToken.None);
            }
            catch (Exception closeFailure)
            {
                throw new FirewallException(
                    $"Opening the window on '{_secondary.Name}' failed and closing the one on '{_primary.Name}' failed too; it is left open as {primary.Tag}",
                    new AggregateException(openFailure, closeFailure));
            }

            throw;
        }
    }

    /// <summary>Closes both windows; each is attempted even if the other fails.</summary>
    public async Task CloseAsync(FirewallWindowPair windows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var failures = new List<Exception>();
        foreach (var (firewall, window) in Pairs(windows))
        {
            try
            {
                await firewall.CloseWindowAsync(window, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
        {
            throw new FirewallException($"Closing the windows of {windows.Primary.Tag} failed on {failures.Count} firewall(s)", new AggregateException(failures));
        }
    }

    /// <summary>Windows left by earlier runs on every firewall (for a recovering controller).</summary>
    public async Task<IReadOnlyList<FirewallWindow>> ListLeftoversAsync(string tagPrefix = JobTag.Prefix, CancellationToken cancellationToken = default)
    {
        var all = new List<FirewallWindow>();
        foreach (var firewall in Firewalls)
        {
            all.AddRange(await firewall.ListWindowsAsync(tagPrefix, cancellationToken));
        }

        return all;
    }

    private IEnumerable<(IFirewall Firewall, FirewallWindow Window)> Pairs(FirewallWindowPair windows)
    {
        yield return (_primary, windows.Primary);
        if (windows.Secondary is not null)
        {
            if (_secondary is null)
            {
                throw new ArgumentException("The windows include a second firewall but this set has none", nameof(windows));
            }

            yield return (_secondary, windows.Secondary);
        }
    }
}
