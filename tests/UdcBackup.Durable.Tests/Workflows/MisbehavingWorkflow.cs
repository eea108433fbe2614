using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

/// <summary>Awaits a real Task.Delay, which the deterministic scheduler must refuse.</summary>
[Workflow("test.misbehaving")]
public sealed class MisbehavingWorkflow
{
    [WorkflowRun]
    public async Task RunAsync()
    {
#pragma warning disable CA2007 // This test workflow deliberately awaits a non-workflow task.
        await Task.Delay(5);
#pragma warning restore CA2007
    }
}
