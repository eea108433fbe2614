using System.Collections.Concurrent;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

public sealed record StepsInput(string Key, int Steps);

/// <summary>N activities in a try, a cleanup activity in the finally (detached from cancellation).</summary>
[Workflow("test.steps")]
public sealed class StepsWorkflow
{
    public static readonly ConcurrentDictionary<string, int> RunEntries = new();

    private int completed;

    // An hour per attempt: tests that move a manual clock by minutes must not time out a running attempt.
    public static ActivityOptions Quick { get; } = new() { StartToCloseTimeout = TimeSpan.FromHours(1), RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(10) } };

    [WorkflowQuery("completed")]
    public int Completed => completed;

    [WorkflowRun]
    public async Task<int> RunAsync(StepsInput input)
    {
        RunEntries.AddOrUpdate(input.Key, 1, (_, n) => n + 1);
        var sum = 0;
        try
        {
            for (var i = 1; i <= input.Steps; i++)
            {
                sum += await Workflow.ExecuteActivityAsync((TestActivities a) => a.AddAsync(new AddInput(input.Key, i)), Quick);
                completed++;
            }
        }
        finally
        {
            await Workflow.ExecuteActivityAsync(
                (TestActivities a) => a.CleanupAsync(input.Key),
                new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1), CancellationToken = CancellationToken.None });
        }

        return sum;
    }
}
