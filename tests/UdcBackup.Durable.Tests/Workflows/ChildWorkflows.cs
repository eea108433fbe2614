using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

public sealed record ParentInput(string Key, int Children, bool ChildFails);

/// <summary>Starts children one by one and sums their results; reports a child's failure.</summary>
[Workflow("test.parent")]
public sealed class ParentWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(ParentInput input)
    {
        var sum = 0;
        try
        {
            for (var i = 1; i <= input.Children; i++)
            {
                sum += await Workflow.ExecuteChildWorkflowAsync((ChildWorkflow c) => c.RunAsync(new ChildInput(input.Key, i, input.ChildFails && i == input.Children)));
            }
        }
        catch (ChildWorkflowFailureException ex)
        {
            return $"child {ex.WorkflowId} failed: {ex.InnerException?.Message}";
        }

        return $"sum:{sum}";
    }
}

public sealed record ChildInput(string Key, int Value, bool Fail);

[Workflow("test.child")]
public sealed class ChildWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(ChildInput input)
    {
        var value = await Workflow.ExecuteActivityAsync((TestActivities a) => a.AddAsync(new AddInput(input.Key, input.Value)), StepsWorkflow.Quick);
        if (input.Fail)
        {
            throw new ApplicationFailureException("child gave up", "ChildGaveUp");
        }

        return value * 10;
    }
}
