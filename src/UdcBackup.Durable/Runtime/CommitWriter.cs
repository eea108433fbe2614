using System.Threading.Channels;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Runtime;

/// <summary>
/// The single writer with group commit: requests from every execution queue in a channel; the
/// writer takes everything queued (up to a batch limit) and commits it in one store transaction,
/// so while one transaction commits the next batch accumulates. No timers or sleeps: under light
/// load a batch is one request and commits at once. A failed commit fails every request of its
/// batch (their executions are then reloaded from the store by the runtime). A set the store
/// refused because its lease fence no longer holds reports its execution as lost to another node.
/// </summary>
internal sealed class CommitWriter : IAsyncDisposable
{
    private readonly Channel<WriteRequest> channel = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IWorkflowStore store;
    private readonly int maxBatch;
    private readonly Action<DurableLogLevel, string, Exception?> log;
    private readonly Action<ExecutionActor> leaseLost;
    private readonly Task loop;

    public CommitWriter(IWorkflowStore store, int maxBatch, Action<DurableLogLevel, string, Exception?> log, Action<ExecutionActor> leaseLost)
    {
        this.store = store;
        this.maxBatch = maxBatch;
        this.log = log;
        this.leaseLost = leaseLost;
        loop = Task.Run(LoopAsync);
    }

    public long Batches { get; private set; }

    public long Sets { get; private set; }

    public void Enqueue(WriteRequest request)
    {
        if (!channel.Writer.TryWrite(request))
        {
            request.Fail(new ObjectDisposedException(nameof(CommitWriter), "The runtime is stopping; nothing more is written."));
        }
    }

    /// <summary>Stops accepting requests and waits until everything queued is committed.</summary>
    public async ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        await loop;
    }

    private async Task LoopAsync()
    {
        var batch = new List<WriteRequest>();
        var sets = new List<StoreWriteSet>();
        while (await channel.Reader.WaitToReadAsync())
        {
            while (batch.Count < maxBatch && channel.Reader.TryRead(out var request))
            {
                batch.Add(request);
                sets.Add(request.Set);
            }

            IReadOnlyList<bool> accepted;
            try
            {
                accepted = await store.CommitAsync(sets);
            }
            catch (Exception ex)
            {
                log(DurableLogLevel.Error, $"Commit of {batch.Count} write sets failed; their executions will be reloaded.", ex);
                foreach (var request in batch)
                {
                    request.Fail(ex);
                }

                batch.Clear();
                sets.Clear();
                continue;
            }

            Batches++;
            Sets += batch.Count;
            for (var i = 0; i < batch.Count; i++)
            {
                if (accepted[i] && batch[i].OnCommitted is { } onCommitted)
                {
                    try
                    {
                        onCommitted();
                    }
                    catch (Exception ex)
                    {
                        log(DurableLogLevel.Error, "A commit callback failed.", ex);
                    }
                }

                else if (batch[i].Set.RejectedByFence && batch[i].Owner is { } owner)
                {
                    // Another node holds the run now: drop it here before the caller hears "rejected".
                    leaseLost(owner);
                }

                batch[i].Succeed(accepted[i]);
            }

            batch.Clear();
            sets.Clear();
        }
    }
}
