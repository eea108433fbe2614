using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

/// <summary>
/// Awaits a task the workflow API did not create, which the deterministic scheduler must refuse.
/// The task is completed by the test only after the <c>awaiting</c> query answered true: queries
/// run between steps, so by then the await has registered its continuation. (A Task.Delay could
/// finish before the await on a loaded machine; the await would then continue synchronously and
/// there would be nothing foreign to notice.)
/// </summary>
[Workflow("test.misbehaving")]
public sealed class MisbehavingWorkflow
{
    private bool awaiting;

    /// <summary>Gets the task the test completes from outside the workflow.</summary>
    public static TaskCompletionSource Outside { get; } = new();

    [WorkflowQuery("awaiting")]
    public bool Awaiting => awaiting;

    [WorkflowRun]
    public async Task RunAsync()
    {
        awaiting = true;
#pragma warning disable CA2007 // This test workflow deliberately awaits a non-workflow task.
        await Outside.Task;
#pragma warning restore CA2007
    }
}
