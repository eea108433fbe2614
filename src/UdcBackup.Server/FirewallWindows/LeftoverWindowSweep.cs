using System.Collections.Concurrent;
using System.Text.Json;
using UdcBackup.Activities.Firewall;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Firewall;
using UdcBackup.Server.Auth;
using UdcBackup.Server.Runtime;
using UdcBackup.Server.Site;
using UdcBackup.Site.Model;
using UdcBackup.Site.Serialization;
using UdcBackup.Workflows.Backup;

namespace UdcBackup.Server.FirewallWindows;

/// <summary>
/// Finds the windows the durable <c>finally</c> of a run could not close (firewall unreachable
/// through every attempt, an nft error, a store restored from an older copy, a run ended by force)
/// and closes them. It lists the windows tagged <c>udc:job=</c> on every firewall of the applied site,
/// built as the firewall activities build them (<see cref="SiteInputs.Target"/>, <see cref="IFirewallProvider"/>),
/// and on every firewall that a site version of the last <see cref="RetiredFirewallPeriod"/> had and the
/// applied one no longer has as it was (removed, or reached another way): a run keeps the firewalls it
/// started with, so its window, and a close that failed, can be on one the site has dropped since. Such a
/// retired firewall is listed until it shows no window while no run started before the change still runs.
/// Only then does it read the state of each tag's run in this controller's workflow store: a run that
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

    /// <summary>
    /// How long after a site version removes a firewall, or changes how it is reached, the sweep still
    /// lists the firewall as it was: runs started before the change keep the firewalls they started with.
    /// </summary>
    public static readonly TimeSpan RetiredFirewallPeriod = TimeSpan.FromDays(7);

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

    // Retired firewalls found clean (no window, no run that could open one), and those whose listing failure was logged; per process.
    private readonly ConcurrentDictionary<FirewallTarget, byte> _retiredClean = new();
    private readonly ConcurrentDictionary<FirewallTarget, byte> _warnedRetired = new();

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
        var versions = await _site.ListSinceAsync(_time.GetUtcNow() - RetiredFirewallPeriod, cancellationToken);
        if (versions.Count == 0)
        {
            return null;
        }

        // Windows first, run states after: see the class summary.
        var site = CanonicalSiteJson.Deserialize(versions[^1].Json);
        var found = new List<(IFirewall Firewall, string Label, FirewallWindow Window)>();
        var failures = new List<FirewallListFailure>();
        foreach (var definition in site.Firewalls.DistinctBy(f => f.Name))
        {
            await ListOneAsync(SiteInputs.Target(definition), definition.Name, found, failures, cancellationToken);
        }

        foreach (var retired in Retired(versions, site))
        {
            if (_retiredClean.ContainsKey(Key(retired.Target)))
            {
                continue;
            }

            var label = $"{retired.Target.Name} (as in site version {retired.LastVersion}, changed or removed by version {retired.RetiredBy})";
            var count = await ListOneAsync(retired.Target, label, found, failures, cancellationToken, retired: true);
            if (count == 0 && !await AnyRunStartedBeforeAsync(retired.RetiredAt, cancellationToken))
            {
                // No window of ours there, and no run that could still open one (runs keep the firewalls they started with).
                _retiredClean.TryAdd(Key(retired.Target), 0);
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
                f.Label,
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

    /// <summary>Lists the tagged windows of one firewall into <paramref name="found"/>; their count, or -1 when it could not be listed (then in <paramref name="failures"/>).</summary>
    private async Task<int> ListOneAsync(FirewallTarget target, string label, List<(IFirewall, string, FirewallWindow)> found, List<FirewallListFailure> failures, CancellationToken cancellationToken, bool retired = false)
    {
        try
        {
            var firewall = _firewalls.Get(target);
            var windows = await firewall.ListWindowsAsync(JobTag.Prefix, cancellationToken);
            found.AddRange(windows.Select(w => (firewall, label, w)));
            return windows.Count;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The message names the command and the firewall's own error; a stack adds nothing every few minutes.
            // A retired firewall may be gone for good: its failure is logged once, and reported at every listing.
            if (!retired || _warnedRetired.TryAdd(Key(target), 0))
            {
                _logger.Warning("Could not list the windows of firewall {Firewall}: {Error}; the sweep goes on with the others", label, ex.Message);
            }

            failures.Add(new FirewallListFailure(label, ex.Message));
            return -1;
        }
    }

    private async Task<bool> AnyRunStartedBeforeAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        var filter = new WorkflowListFilter(Status: WorkflowExecutionStatus.Running, Limit: 1) { StartedBefore = time.UtcDateTime };
        return (await _host.Runtime.Client.ListAsync(filter, cancellationToken)).Count > 0;
    }

    /// <summary>
    /// The firewalls of earlier versions in <paramref name="versions"/> that the applied site no longer
    /// has as they were (removed, or reached differently: namespace, command prefix, table, chain), each
    /// with the last version that had it and the one that dropped it. A version that cannot be read
    /// any more adds nothing.
    /// </summary>
    private static List<RetiredFirewall> Retired(IReadOnlyList<SiteVersion> versions, SiteDefinition current)
    {
        var targets = versions.Select((version, i) => i == versions.Count - 1 ? Targets(current) : TargetsOrNone(version)).ToList();
        var now = targets[^1].Select(Key).ToHashSet();
        var retired = new Dictionary<FirewallTarget, RetiredFirewall>();
        for (var i = 0; i < versions.Count - 1; i++)
        {
            var next = targets[i + 1].Select(Key).ToHashSet();
            foreach (var target in targets[i])
            {
                var key = Key(target);
                if (!now.Contains(key) && !next.Contains(key))
                {
                    retired[key] = new RetiredFirewall(target, versions[i].Version, versions[i + 1].Version, versions[i + 1].AppliedAt);
                }
            }
        }

        return [.. retired.Values];
    }

    private static List<FirewallTarget> Targets(SiteDefinition site) => [.. site.Firewalls.Select(SiteInputs.Target)];

    private static List<FirewallTarget> TargetsOrNone(SiteVersion version)
    {
        try
        {
            return Targets(CanonicalSiteJson.Deserialize(version.Json));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>What reaches the same rules: the target without its site name and designated port (windows are listed by tag, whatever the port).</summary>
    private static FirewallTarget Key(FirewallTarget target) => target with { Name = string.Empty, DesignatedPort = 0 };

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

    private sealed record RetiredFirewall(FirewallTarget Target, int LastVersion, int RetiredBy, DateTimeOffset RetiredAt);
}
