using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Metadata;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Activities;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Timeouts and retries of a flow's activity node from its <see cref="FlowNodeOptions"/>:
/// 1 hour per attempt, 3 attempts, 5 s before the first retry doubling up to 5 minutes, unless the
/// node says otherwise. Errors that cannot change by retrying (bad input, refused script, wrong
/// system, an input the activity cannot read) are never retried.
/// </summary>
public static class FlowActivityOptions
{
    private static readonly string[] Final =
    [
        ActivityInputGuard.InvalidInputErrorType,
        FirewallActivities.InvalidWindowErrorType,
        SystemActivities.ScriptFailedErrorType,
        SystemActivities.CrossSystemRefusedErrorType,
        CatalogActivities.SystemMismatchErrorType,
        CatalogActivities.UnknownSnapshotErrorType,
        FlowInterpreter.InputErrorType,
        "JsonException",
    ];

    public static ActivityOptions For(FlowNode node, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(node);
        var options = node.Options;
        var interval = FlowConfig.Duration(options?.RetryInterval) is { Ticks: > 0 } i ? i : TimeSpan.FromSeconds(5);
        return new ActivityOptions
        {
            StartToCloseTimeout = FlowConfig.Duration(options?.Timeout) is { Ticks: > 0 } t ? t : TimeSpan.FromHours(1),
            HeartbeatTimeout = FlowConfig.Duration(options?.HeartbeatTimeout) is { Ticks: > 0 } h ? h : null,
            RetryPolicy = new RetryPolicy
            {
                InitialInterval = interval,
                BackoffCoefficient = 2,
                MaximumInterval = interval > TimeSpan.FromMinutes(5) ? interval : TimeSpan.FromMinutes(5),
                MaximumAttempts = options?.MaxAttempts ?? 3,
                NonRetryableErrorTypes = Final,
            },
            CancellationToken = token,
        };
    }
}
