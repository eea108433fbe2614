using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

/// <summary>
/// One workflow type in three versions: v1 adds 1, waits for "go", adds 2. The patched version
/// runs a new step (test.cleanup) after the first one under a patch check; the retired version
/// runs it without the check (what the code becomes once no run of v1 is left, and what a
/// careless change would have been from the start).
/// </summary>
[Workflow("test.patch")]
public sealed class PatchV1Workflow
{
    private bool go;

    [WorkflowSignal("go")]
    public void Go() => go = true;

    [WorkflowRun]
    public async Task<int> RunAsync(string key)
    {
        var a = await Workflow.ExecuteActivityAsync((TestActivities t) => t.AddAsync(new AddInput(key, 1)), StepsWorkflow.Quick);
        await Workflow.WaitConditionAsync(() => go);
        var b = await Workflow.ExecuteActivityAsync((TestActivities t) => t.AddAsync(new AddInput(key, 2)), StepsWorkflow.Quick);
        return a + b;
    }
}

[Workflow("test.patch")]
public sealed class PatchV2Workflow
{
    public const string Patch = "cleanup-step";

    private bool go;

    [WorkflowSignal("go")]
    public void Go() => go = true;

    [WorkflowRun]
    public async Task<int> RunAsync(string key)
    {
        var a = await Workflow.ExecuteActivityAsync((TestActivities t) => t.AddAsync(new AddInput(key, 1)), StepsWorkflow.Quick);
        if (Workflow.Patched(Patch) && Workflow.Patched(Patch))
        {
            await Workflow.ExecuteActivityAsync((TestActivities t) => t.CleanupAsync(key), StepsWorkflow.Quick);
        }

        await Workflow.WaitConditionAsync(() => go);
        var b = await Workflow.ExecuteActivityAsync((TestActivities t) => t.AddAsync(new AddInput(key, 2)), StepsWorkflow.Quick);
        return a + b;
    }
}

[Workflow("test.patch")]
public sealed class PatchRetiredWorkflow
{
    private bool go;

    [WorkflowSignal("go")]
    public void Go() => go = true;

    [WorkflowRun]
    public async Task<int> RunAsync(string key)
    {
        var a = await Workflow.ExecuteActivityAsync((TestActivities t) => t.AddAsync(new AddInput(key, 1)), StepsWorkflow.Quick);
        await Workflow.ExecuteActivityAsync((TestActivities t) => t.CleanupAsync(key), StepsWorkflow.Quick);
        await Workflow.WaitConditionAsync(() => go);
        var b = await Workflow.ExecuteActivityAsync((TestActivities t) => t.AddAsync(new AddInput(key, 2)), StepsWorkflow.Quick);
        return a + b;
    }
}
