using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Runtime;

/// <summary>
/// Events appended to a run (activity outcome, timer fired, signal, cancel request, child
/// outcome) that have their ids and are already in the run's inbox, waiting to be written with
/// the next commit of the run's step. <see cref="Completion"/> tells the appender once that commit
/// is durable (true), refused by the store (false), or failed (exception).
/// </summary>
internal sealed class UnwrittenAppend(StoredEvent[] events, Action<StoreWriteSet>? changes)
{
    private readonly TaskCompletionSource<bool> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StoredEvent[] Events { get; } = events;

    /// <summary>Gets the store changes that go with the events (delete the activity task or timer row they resolve).</summary>
    public Action<StoreWriteSet>? Changes { get; } = changes;

    public Task<bool> Completion => completion.Task;

    public void Succeed(bool accepted) => completion.TrySetResult(accepted);

    public void Fail(Exception exception) => completion.TrySetException(exception);
}
