using System.Net;
using UdcBackup.Activities.Metadata;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;
using UdcBackup.Firewall;

namespace UdcBackup.Activities.Firewall;

/// <summary>
/// Opens and closes the per-job windows through the site's firewalls with the real firewall
/// library. Every activity is safe to run again: opening finds the rule a previous attempt left
/// (same tag and endpoints) instead of adding a second one; closing a window that is gone
/// succeeds; <c>close-job-windows</c> lists the rules by the job's tag, so it also removes what an
/// attempt opened but never got to report (controller crash between nft and the history write).
/// A firewall error (nft failed, policy missing) fails the attempt and is retried by the caller's
/// policy; an input that can never work (bad address, port not designated) is not retried.
/// </summary>
public sealed class FirewallActivities
{
    /// <summary>Error type of a window request that can never succeed.</summary>
    public const string InvalidWindowErrorType = "InvalidFirewallWindow";

    private readonly IFirewallProvider _firewalls;

    public FirewallActivities(IFirewallProvider firewalls)
    {
        ArgumentNullException.ThrowIfNull(firewalls);
        _firewalls = firewalls;
    }

    [Activity("firewall.open-windows")]
    [ActivityDescription("Firewall", "Open firewall windows", "open the designated port for job {jobId}",
        Description = "Inserts one accept rule per system and firewall, tagged udc:job=<job>, before the port's drop rule. A retry reuses the rule already there.")]
    public async Task<OpenWindowsResult> OpenWindowsAsync(OpenWindowsInput input)
    {
        ActivityInputGuard.EnsureValid("firewall.open-windows", input);
        var token = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;
        var opened = new List<OpenedWindow>();
        foreach (var spec in input.Windows)
        {
            var request = Request(input.JobId, spec);
            var window = await _firewalls.Get(spec.Firewall).OpenWindowAsync(request, token);
            opened.Add(new OpenedWindow(spec.Firewall.Name, spec.SystemId, window.Tag, window.Handle, spec.SourceAddress, spec.DestinationAddress, request.Port));
        }

        return new OpenWindowsResult(opened);
    }

    [Activity("firewall.close-windows")]
    [ActivityDescription("Firewall", "Close firewall windows", "close the windows opened by an earlier step",
        Description = "Removes exactly the rules returned by open-windows; a rule already gone counts as closed.")]
    public async Task<CloseWindowsResult> CloseWindowsAsync(CloseWindowsInput input)
    {
        ActivityInputGuard.EnsureValid("firewall.close-windows", input);
        var token = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;
        var failures = new List<Exception>();
        var closed = 0;
        foreach (var window in input.Windows)
        {
            var target = input.Firewalls.FirstOrDefault(f => f.Name == window.Firewall)
                ?? throw new ApplicationFailureException($"firewall.close-windows: window {window.Tag} is on '{window.Firewall}', which is not in the firewall list", InvalidWindowErrorType, nonRetryable: true);
            try
            {
                await _firewalls.Get(target).CloseWindowAsync(new FirewallWindow(window.Firewall, window.Tag, window.Handle, null), token);
                closed++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(ex);
            }
        }

        // Every window is attempted before failing, so one broken firewall does not keep the
        // others open until the retry.
        return failures.Count == 0
            ? new CloseWindowsResult(closed)
            : throw new FirewallException($"Closing {failures.Count} of {input.Windows.Count} window(s) failed", new AggregateException(failures));
    }

    [Activity("firewall.close-job-windows")]
    [ActivityDescription("Firewall", "Close leftovers of a job", "close every window tagged with job {jobId}",
        Description = "Lists each firewall's rules tagged udc:job=<job> and removes them; used in cleanups and by recovery, it also finds rules whose opening was never recorded.")]
    public async Task<CloseWindowsResult> CloseJobWindowsAsync(CloseJobWindowsInput input)
    {
        ActivityInputGuard.EnsureValid("firewall.close-job-windows", input);
        var token = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;
        var tag = JobTag.For(input.JobId);
        var failures = new List<Exception>();
        var closed = 0;
        foreach (var target in input.Firewalls.DistinctBy(f => f.Name))
        {
            try
            {
                var firewall = _firewalls.Get(target);
                foreach (var window in (await firewall.ListWindowsAsync(tag, token)).Where(w => w.Tag == tag))
                {
                    await firewall.CloseWindowAsync(window, token);
                    closed++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(ex);
            }
        }

        return failures.Count == 0
            ? new CloseWindowsResult(closed)
            : throw new FirewallException($"Closing the windows of job {input.JobId} failed on {failures.Count} firewall(s)", new AggregateException(failures));
    }

    private static FirewallWindowRequest Request(string jobId, WindowSpec spec)
    {
        try
        {
            return new FirewallWindowRequest(spec.Firewall.DesignatedPort, IPAddress.Parse(spec.SourceAddress), IPAddress.Parse(spec.DestinationAddress), jobId);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new ApplicationFailureException($"firewall.open-windows: window for {spec.SystemId} on {spec.Firewall.Name}: {ex.Message}", InvalidWindowErrorType, nonRetryable: true, innerException: ex);
        }
    }
}
