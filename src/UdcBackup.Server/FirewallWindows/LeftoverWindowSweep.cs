using UdcBackup.Activities.Firewall;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Firewall;
using UdcBackup.Server.Auth;
using UdcBackup.Server.Runtime;
using UdcBackup.Server.Site;
using UdcBackup.Site.Serialization;
using UdcBackup.Workflows.Backup;

namespace UdcBackup.Server.FirewallWindows;

/// <summary>
/// Finds the windows the durable <c>finally</c> of a run could not close (firewall unreachable
/// through every attempt, an nft error, a store restored from an older copy, a run ended by force)
/// and closes them. It lists the windows tagged <c>udc:job=</c> on every firewall of the applied site,
/// built as the firewall activities build them (<see cref="SiteInputs.Target"/>, <see cref="IFirewallProvider"/>),
/// and only then reads the state of each tag's run in this controller's workflow store: a run that
/// opens its window after the listing is not in the list, so a window is closed only when the run
/// it belongs to was already closed when the window was seen. A running run's window is its
/// workflow's; a run this store does not know is another controller's (a shared firewall) and is
/// never touched, with one warning per window rather than one per sweep. Each window closed is
/// logged and appended to the audit log naming firewall, port, source and run. A firewall that
/// cannot be listed, or a window whose close fails, is reported and the sweep goes on; the next
/// sweep tries again. Sweeps run one at a time.
/// </summary>
public sealed class LeftoverWindowSweep : IDisposable
{
    /// <summary>The audit action of a window the sweep closed.</summary>
    public const string AuditAction = "CloseLeftoverFirewallWindow";

    /// <summary>Who the audit rows of the periodic sweep name.</summary>
    public const string SystemActor = "controller";

    private readonly SiteVersionStore _site;
    private readonly DurableRuntimeService _host;
    private readonly IFirewallProvider _firewalls;
    private readonly AuthStore _audit;
    private readonly TimeProvider _time;
    private readonly Serilog.ILogger _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly HashSet<string> _warnedUnknown = new(StringComparer.Ordinal);

    public LeftoverWindowSweep(SiteVersionStore site, DurableRuntimeService host, IFirewallProvider firewalls, AuthStore audit, TimeProvider time, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _site = site;
        _host = host;
        _firewalls = firewalls;
        _audit = audit;
        _time = time;
        _logger = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, typeof(LeftoverWindowSweep).FullName);
    }

    /// <summary>The tagged windows of the applied site's firewalls with their runs' states; null when no site is applied.</summary>
    public async Task<FirewallWindowList?> ListAsync(CancellationToken cancellationToken)
    {
        var listing = await ReadAsync(cancellationToken);
        return listing is null ? null : new FirewallWindowList([.. listing.Windows.Select(w => w.Info)], listing.Failures);
    }

    /// <summary>
    /// Closes the windows of closed runs; null when no site is applied. <paramref name="by"/> is the
    /// signed-in user who asked (the audit rows name them), null for the periodic sweep.
    /// </summary>
    public async Task<FirewallSweepReport?> SweepAsync(string? by, UserRole? role, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var listing = await ReadAsync(cancellationToken);
            if (listing is null)
            {
                return null;
            }

            var closed = new List<FirewallWindowInfo>();
            var left = new List<FirewallWindowInfo>();
            var failed = new List<FirewallCloseFailure>();
            foreach (var (firewall, window, info) in listing.Windows)
            {
                if (info.RunState != WindowRunState.Leftover)
                {
                    WarnOnceIfUnknown(info);
                    left.Add(info);
                    continue;
                }

                try
                {
                    await firewall.CloseWindowAsync(window, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.Error(ex, "Could not close the leftover window of {Status} run {RunId} on firewall {Firewall} (port {Port}, source {Source}); the next sweep tries again", info.RunStatus, info.RunId, info.Firewall, info.Port, info.Source);
                    failed.Add(new FirewallCloseFailure(info, ex.Message));
                    continue;
                }

                closed.Add(info);
                _logger.Warning("Closed the leftover window of {Status} run {RunId} on firewall {Firewall}: port {Port}, {Source} -> {Destination}", info.RunStatus, info.RunId, info.Firewall, info.Port, info.Source, info.Destination);
                await AuditAsync(info, by, role);
            }

            return new FirewallSweepReport(closed, left, failed, listing.Failures);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private async Task<Listing?> ReadAsync(CancellationToken cancellationToken)
    {
        if (await _site.GetAsync(cancellationToken: cancellationToken) is not { } current)
        {
            return null;
        }

        // Windows first, run states after: see the class summary.
        var site = CanonicalSiteJson.Deserialize(current.Json);
        var found = new List<(IFirewall Firewall, FirewallWindow Window)>();
        var failures = new List<FirewallListFailure>();
        foreach (var definition in site.Firewalls.DistinctBy(f => f.Name))
        {
            try
            {
                var firewall = _firewalls.Get(SiteInputs.Target(definition));
                found.AddRange((await firewall.ListWindowsAsync(JobTag.Prefix, cancellationToken)).Select(w => (firewall, w)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The message names the command and the firewall's own error; a stack adds nothing every few minutes.
                _logger.Warning("Could not list the windows of firewall {Firewall}: {Error}; the sweep goes on with the others", definition.Name, ex.Message);
                failures.Add(new FirewallListFailure(definition.Name, ex.Message));
            }
        }

        var states = new Dictionary<string, (WindowRunState State, string? Status)>(StringComparer.Ordinal);
        foreach (var runId in found.Select(f => f.Window.JobId).Distinct(StringComparer.Ordinal))
        {
            states[runId] = await RunStateAsync(runId, cancellationToken);
        }

        var windows = found.Select(f =>
        {
            var (state, status) = states[f.Window.JobId];
            var request = f.Window.Request;
            var info = new FirewallWindowInfo(
                f.Window.Firewall,
                request?.Port,
                request?.Protocol.ToString().ToLowerInvariant(),
                request?.Source.ToString(),
                request?.Destination.ToString(),
                f.Window.JobId,
                f.Window.Handle,
                state,
                status);
            return (f.Firewall, f.Window, info);
        }).ToList();
        return new Listing(windows, failures);
    }

    private async Task<(WindowRunState State, string? Status)> RunStateAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            var run = await _host.Runtime.Client.DescribeAsync(runId, cancellationToken: cancellationToken);
            var closed = run.Status is WorkflowExecutionStatus.Completed or WorkflowExecutionStatus.Failed or WorkflowExecutionStatus.Canceled;
            return (closed ? WindowRunState.Leftover : WindowRunState.Running, run.Status.ToString());
        }
        catch (WorkflowNotFoundException)
        {
            return (WindowRunState.Unknown, null);
        }
    }

    private void WarnOnceIfUnknown(FirewallWindowInfo info)
    {
        if (info.RunState == WindowRunState.Unknown && _warnedUnknown.Add($"{info.Firewall}\n{info.Handle}\n{info.RunId}"))
        {
            _logger.Warning(
                "Window of run {RunId} on firewall {Firewall} (port {Port}, {Source} -> {Destination}) names a run this controller does not know; left open (another controller's, or close it by hand)",
                info.RunId, info.Firewall, info.Port, info.Source, info.Destination);
        }
    }

    private async Task AuditAsync(FirewallWindowInfo info, string? by, UserRole? role)
    {
        var target = $"firewall={info.Firewall}, port={info.Port}, protocol={info.Protocol}, source={info.Source}, destination={info.Destination}, run={info.RunId}, runStatus={info.RunStatus}";
        try
        {
            await _audit.AppendAuditAsync(_time.GetUtcNow(), by ?? SystemActor, by is null ? null : role, "SYSTEM", FirewallWindowEndpoints.WindowsPath, AuditAction, target, 200, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.Error(ex, "Could not write the audit row of the closed window {Target}", target);
        }
    }

    private sealed record Listing(IReadOnlyList<(IFirewall Firewall, FirewallWindow Window, FirewallWindowInfo Info)> Windows, IReadOnlyList<FirewallListFailure> Failures);
}
