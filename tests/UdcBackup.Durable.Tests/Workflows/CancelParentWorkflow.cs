using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

public sealed record CancelParentInput(string Key, int ChildSteps, ChildWorkflowCancellationType? CancellationType = null);

/// <summary>Runs one <see cref="StepsWorkflow"/> child (steps in a try, cleanup in the finally) with the given child cancellation type.</summary>
[Workflow("test.cancelparent")]
public sealed class CancelParentWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(CancelParentInput input)
    {
        var options = new ChildWorkflowOptions { Id = $"{input.Key}-child" };
        if (input.CancellationType is { } type)
        {
            options.CancellationType = type;
        }

        var sum = await Workflow.ExecuteChildWorkflowAsync((StepsWorkflow s) => s.RunAsync(new StepsInput($"{input.Key}-child", input.ChildSteps)), options);
        return $"child:{sum}";
    }
}
