using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Runtime;

/// <summary>
/// One write set on its way to the store. <see cref="OnCommitted"/> runs on the writer, in
/// commit order, right after the transaction commits (it moves events into inboxes, so inbox
/// order equals history order); <see cref="Completion"/> then tells the waiting caller.
/// </summary>
internal sealed class WriteRequest(StoreWriteSet set, Action? onCommitted = null, ExecutionActor? owner = null)
{
    private readonly TaskCompletionSource<bool> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StoreWriteSet Set { get; } = set;

    public Action? OnCommitted { get; } = onCommitted;

    public ExecutionActor? Owner { get; } = owner;

    /// <summary>Gets a task that is true once committed, false if the store rejected the set, faulted if the commit failed.</summary>
    public Task<bool> Completion => completion.Task;

    public void Succeed(bool accepted) => completion.TrySetResult(accepted);

    public void Fail(Exception exception) => completion.TrySetException(exception);
}
