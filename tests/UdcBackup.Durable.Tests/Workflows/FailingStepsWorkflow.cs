using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

/// <summary>An activity that fails for good inside try; the finally's cleanup must still run and the workflow fail.</summary>
[Workflow("test.failing")]
public sealed class FailingStepsWorkflow
{
    [WorkflowRun]
    public async Task RunAsync(string key)
    {
        try
        {
            await Workflow.ExecuteActivityAsync((TestActivities a) => a.AddAsync(new AddInput(key, 1)), StepsWorkflow.Quick);
            await Workflow.ExecuteActivityAsync(
                (TestActivities a) => a.Flaky(new FlakyInput(key, 99, "Fatal")),
                new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1), RetryPolicy = new RetryPolicy { NonRetryableErrorTypes = ["Fatal"] } });
        }
        finally
        {
            await Workflow.ExecuteActivityAsync((TestActivities a) => a.CleanupAsync(key), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1) });
        }
    }
}
