using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Bench;

/// <summary>Runs <see cref="RetryOnceActivities.FailFirstAsync"/> with a 1 ms retry interval and returns the attempt that succeeded.</summary>
[Workflow(TypeName)]
internal sealed class RetryOnceWorkflow
{
    public const string TypeName = "bench.retry-once";

    private static readonly ActivityOptions Options = new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(1),
        RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(1), MaximumAttempts = 3 },
    };

    [WorkflowRun]
    public Task<int> RunAsync(string key) =>
        Workflow.ExecuteActivityAsync((RetryOnceActivities a) => a.FailFirstAsync(key), Options);
}
