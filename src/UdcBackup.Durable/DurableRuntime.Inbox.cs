using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable;

/// <summary>
/// Signals, cancel requests and child outcomes for runs another node owns. History event ids are assigned only
/// by a run's owner (rule 2 of the history), so a node that receives a signal for a run it does
/// not own cannot append it; it writes the event to the store's durable inbox instead (refused
/// if the run is no longer running) and the signal counts as delivered once that row commits.
/// Every <see cref="DurableRuntimeOptions.InboxPollInterval"/> the owner reads the inbox of the
/// runs it owns and appends each message like a local signal; the append's commit also deletes
/// the row (fenced like every write of the run), so a message becomes history exactly once, and
/// a message whose append is lost (crash, lease lost) stays for the next owner. Messages of runs
/// that closed before their owner read them are purged at lease renewal and logged. A child
/// whose parent is not driven by this node puts its outcome into the parent's inbox in the same
/// transaction as its close, so the parent's owner hears of it however the two runs were split
/// between nodes; a parent that already recorded the outcome (its recovery found the child
/// closed) only consumes the message.
/// </summary>
public sealed partial class DurableRuntime
{
    private int inboxPolling;

    /// <summary>Gets the number of inbox messages (signals or cancel requests received by other nodes) this runtime appended to its runs.</summary>
    public long InboxDelivered => Interlocked.Read(ref _inboxDelivered);

    private long _inboxDelivered;

    /// <summary>Reads the inbox of this node's runs and appends every message not yet taken; overlapping calls return at once.</summary>
    internal async Task PollInboxAsync()
    {
        if (stopping.IsCancellationRequested || Interlocked.Exchange(ref inboxPolling, 1) == 1)
        {
            return;
        }

        try
        {
            var messages = await Store.LoadInboxAsync(options.OwnerId, stopping.Token);
            if (messages.Count > 0)
            {
                await Task.WhenAll(messages.Select(DeliverInboxMessageAsync));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            Log(DurableLogLevel.Warning, "Reading the durable inbox failed; will retry at the next period.", ex);
        }
        finally
        {
            Volatile.Write(ref inboxPolling, 0);
        }
    }

    private async Task DeliverInboxMessageAsync(InboxMessage message)
    {
        var e = message.Event;
        var isCancel = e.EventType == HistoryEventType.WorkflowCancelRequested;
        int? childCommand = e.EventType is HistoryEventType.ChildWorkflowExecutionCompleted or HistoryEventType.ChildWorkflowExecutionFailed ? e.CommandId : null;
        ExecutionActor? alreadyKnown = null;
        var appended = await AppendToRunAsync(
            message.RunId,
            [e],
            actor => () =>
            {
                // Under the run's gate: a message read again while its first append is in flight is skipped.
                if (!actor.TakenInboxMessages.Add(message.MessageId))
                {
                    return false;
                }

                // A child outcome the parent already has (its recovery found the child closed), or a
                // cancel request of a run that has one, is only consumed.
                if ((childCommand is { } command && !actor.LiveChildren.Remove(command)) || (isCancel && actor.CancelRequested))
                {
                    alreadyKnown = actor;
                    return false;
                }

                if (childCommand is { } delivered)
                {
                    actor.PendingChildCancels.Remove(delivered);
                }

                actor.CancelRequested |= isCancel;
                return true;
            },
            set => set.ConsumeInbox.Add(message.MessageId));
        if (appended)
        {
            Interlocked.Increment(ref _inboxDelivered);
        }
        else if (alreadyKnown is { } actor)
        {
            var set = new StoreWriteSet { Fence = FenceOf(actor) };
            set.ConsumeInbox.Add(message.MessageId);
            Writer.Enqueue(new WriteRequest(set, owner: actor));
        }
    }

    /// <summary>Writes a signal, cancel request or child outcome for a run this node does not drive into the store's inbox; false if the run is no longer running.</summary>
    private Task<bool> SendToInboxAsync(string runId, HistoryEvent e, CancellationToken cancellationToken) =>
        Store.EnqueueInboxAsync(new InboxMessage(0, runId, e, Now, options.OwnerId), cancellationToken);

    private async Task PurgeInboxAsync(CancellationToken cancellationToken)
    {
        foreach (var dropped in await Store.PurgeInboxAsync(cancellationToken))
        {
            Log(DurableLogLevel.Warning, $"Dropped {dropped.Event.EventType} '{dropped.Event.SignalName}' received by {dropped.ReceivedBy} at {dropped.ReceivedAt:O}: run {dropped.RunId} closed before its owner read it.");
        }
    }
}
