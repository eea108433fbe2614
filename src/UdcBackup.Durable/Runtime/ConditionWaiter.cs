namespace UdcBackup.Durable.Runtime;

/// <summary>A pending Workflow.WaitConditionAsync: checked, in registration order, whenever workflow code is idle.</summary>
internal sealed class ConditionWaiter(Func<bool> condition)
{
    public Func<bool> Condition { get; } = condition;

    public TaskCompletionSource<bool> Completion { get; } = new();
}
