using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

public sealed record TimerInput(string Key, double Days);

/// <summary>Waits durably for days, then runs an activity; returns the workflow clock before and after.</summary>
[Workflow("test.timer")]
public sealed class TimerWorkflow
{
    [WorkflowRun]
    public async Task<DateTime[]> RunAsync(TimerInput input)
    {
        var before = Workflow.UtcNow;
        await Workflow.DelayAsync(TimeSpan.FromDays(input.Days));
        await Workflow.ExecuteActivityAsync((TestActivities a) => a.AddAsync(new AddInput(input.Key, 1)), StepsWorkflow.Quick);
        return [before, Workflow.UtcNow];
    }
}
