using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Metadata;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Activities;

namespace UdcBackup.Workflows.Backup;

/// <summary>
/// Timeouts and retries of the backup and restore activities, in one place. Errors that cannot
/// change by retrying (bad input, script refused, wrong system) are never retried; transport
/// errors are retried a few times with backoff. Cleanups pass <c>CancellationToken.None</c> so a
/// cancelled run still runs them.
/// <para>
/// An attempt cut short by a stop of the controller (crash, kill -9, restart) is not counted
/// against these attempts by the runtime (it is recorded as interrupted), so a script's three
/// attempts are spent only on agents that cannot be reached; a script's refusal is never retried.
/// </para>
/// </summary>
public static class WorkflowActivityOptions
{
    private static readonly string[] Final =
    [
        ActivityInputGuard.InvalidInputErrorType,
        FirewallActivities.InvalidWindowErrorType,
        SystemActivities.ScriptFailedErrorType,
        SystemActivities.CrossSystemRefusedErrorType,
        SystemActivities.NothingBackedUpErrorType,
        CatalogActivities.SystemMismatchErrorType,
        CatalogActivities.UnknownSnapshotErrorType,
    ];

    public static ActivityOptions Firewall(bool cleanup) => Quick(TimeSpan.FromMinutes(1), cleanup, attempts: cleanup ? 20 : 5);

    public static ActivityOptions Catalog() => Quick(TimeSpan.FromSeconds(30), cleanup: false, attempts: 5);

    /// <summary>A question to an agent that changes nothing (restore target check).</summary>
    public static ActivityOptions AgentCheck() => Quick(TimeSpan.FromMinutes(2), cleanup: false, attempts: 5);

    public static ActivityOptions Script(int timeoutSeconds, bool cleanup) => Quick(TimeSpan.FromSeconds(timeoutSeconds + 60), cleanup, attempts: 3);

    public static ActivityOptions Stream(TimeSpan? window) => new()
    {
        StartToCloseTimeout = window ?? TimeSpan.FromHours(12),
        HeartbeatTimeout = TimeSpan.FromMinutes(1),
        RetryPolicy = Retry(5),
    };

    private static ActivityOptions Quick(TimeSpan timeout, bool cleanup, int attempts) => new()
    {
        StartToCloseTimeout = timeout,
        RetryPolicy = Retry(attempts),
        CancellationToken = cleanup ? CancellationToken.None : null,
    };

    private static RetryPolicy Retry(int attempts) => new()
    {
        InitialInterval = TimeSpan.FromMilliseconds(500),
        MaximumInterval = TimeSpan.FromSeconds(30),
        MaximumAttempts = attempts,
        NonRetryableErrorTypes = Final,
    };
}
