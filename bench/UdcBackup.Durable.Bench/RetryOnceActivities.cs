using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Durable.Bench;

/// <summary>An activity that fails its first attempt with a retryable error and succeeds on the next one.</summary>
internal sealed class RetryOnceActivities
{
    [Activity("bench.fail-first")]
    public Task<int> FailFirstAsync(string key)
    {
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        return attempt == 1
            ? Task.FromException<int>(new ApplicationFailureException($"{key}: the first attempt fails on purpose", "BenchTransient"))
            : Task.FromResult(attempt);
    }
}
