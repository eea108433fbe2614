using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

/// <summary>
/// The same workflow type after a careless edit: the timer now comes before the first activity.
/// Replaying the recorded histories against it must fail with a non-determinism error.
/// </summary>
[Workflow("test.replay")]
public sealed class ReplaySampleWorkflowChanged
{
    private bool approved;

    [WorkflowSignal("approve")]
    public void Approve() => approved = true;

    [WorkflowRun]
    public async Task<int> RunAsync(string key)
    {
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        var a = await Workflow.ExecuteActivityAsync((TestActivities t) => t.AddAsync(new AddInput(key, 1)), StepsWorkflow.Quick);
        await Workflow.WaitConditionAsync(() => approved);
        var b = await Workflow.ExecuteActivityAsync((TestActivities t) => t.AddAsync(new AddInput(key, 2)), StepsWorkflow.Quick);
        return a + b;
    }
}
