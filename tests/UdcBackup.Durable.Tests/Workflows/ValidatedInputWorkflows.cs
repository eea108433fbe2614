using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

/// <summary>An input that names its own problem: a count below zero.</summary>
public sealed record CountInput(int Count) : IValidatedWorkflowInput
{
    public IReadOnlyList<string> Problems() => Count < 0 ? [$"count must be 0 or more, was {Count}"] : [];
}

/// <summary>Returns its input's count.</summary>
[Workflow("test.counted")]
public sealed class CountedWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync(CountInput input) => Task.FromResult(input.Count);
}

/// <summary>Starts a <see cref="CountedWorkflow"/> child with the given count and says how the start went.</summary>
[Workflow("test.countedparent")]
public sealed class CountedParentWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(int count)
    {
        try
        {
            return $"child:{await Workflow.ExecuteChildWorkflowAsync((CountedWorkflow w) => w.RunAsync(new CountInput(count)))}";
        }
        catch (ChildWorkflowFailureException ex)
        {
            return $"refused:{ex.InnerException?.Message}";
        }
    }
}
