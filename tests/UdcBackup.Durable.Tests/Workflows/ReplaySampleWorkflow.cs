using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

/// <summary>The workflow whose recorded histories (Histories/*.json) must keep replaying: activity, timer, signal, activity.</summary>
[Workflow("test.replay")]
public sealed class ReplaySampleWorkflow
{
    private bool approved;

    [WorkflowSignal("approve")]
    public void Approve() => approved = true;

    [WorkflowRun]
    public async Task<int> RunAsync(string key)
    {
        var a = await Workflow.ExecuteActivityAsync((TestActivities t) => t.AddAsync(new AddInput(key, 1)), StepsWorkflow.Quick);
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        await Workflow.WaitConditionAsync(() => approved);
        var b = await Workflow.ExecuteActivityAsync((TestActivities t) => t.AddAsync(new AddInput(key, 2)), StepsWorkflow.Quick);
        return a + b;
    }
}
