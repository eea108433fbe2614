using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

/// <summary>Uses the deterministic time, GUID and random APIs around a wait for a signal.</summary>
[Workflow("test.determinism")]
public sealed class DeterminismWorkflow
{
    private string snapshot = string.Empty;
    private bool go;

    [WorkflowQuery("snapshot")]
    public string Snapshot => snapshot;

    [WorkflowSignal("go")]
    public void Go() => go = true;

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        snapshot = $"{Workflow.NewGuid()}|{Workflow.Random.Next()}|{Workflow.UtcNow:O}|{Workflow.Info.WorkflowId}";
        await Workflow.WaitConditionAsync(() => go);
        return snapshot + $"|{Workflow.NewGuid()}";
    }
}
