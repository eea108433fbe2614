using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable;

/// <summary>
/// Signals and cancel requests for runs another node owns. History event ids are assigned only
/// by a run's owner (rule 2 of the history), so a node that receives a signal for a run it does
/// not own cannot append it; it writes the event to the store's durable inbox instead (refused
/// if the run is no longer running) and the signal counts as delivered once that row commits.
/// Every <see cref="DurableRuntimeOptions.InboxPollInterval"/> the owner reads the inbox of the
/// runs it owns and appends each message like a local signal; the append's commit also deletes
/// the row (fenced like every write of the run), so a message becomes history exactly once, and
/// a message whose append is lost (crash, lease lost) stays for the next owner. Messages of runs
/// that closed before their owner read them are purged at lease renewal and logged.
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
        var isCancel = message.Event.EventType == HistoryEventType.WorkflowCancelRequested;
        var appended = await AppendToRunAsync(
            message.RunId,
            [message.Event],
            actor => () =>
            {
                // Under the run's gate: a message read again while its first append is in flight is skipped.
                if (!actor.TakenInboxMessages.Add(message.MessageId))
                {
                    return false;
                }

                actor.CancelRequested |= isCancel;
                return true;
            },
            set => set.ConsumeInbox.Add(message.MessageId));
        if (appended)
        {
            Interlocked.Increment(ref _inboxDelivered);
        }
    }

    /// <summary>Writes a signal or cancel request for a run owned by another node into the store's inbox; false if the run is no longer running.</summary>
    private Task<bool> SendToInboxAsync(ExecutionRecord record, HistoryEvent e, CancellationToken cancellationToken) =>
        Store.EnqueueInboxAsync(new InboxMessage(0, record.RunId, e, Now, options.OwnerId), cancellationToken);

    private async Task PurgeInboxAsync(CancellationToken cancellationToken)
    {
        foreach (var dropped in await Store.PurgeInboxAsync(cancellationToken))
        {
            Log(DurableLogLevel.Warning, $"Dropped {dropped.Event.EventType} '{dropped.Event.SignalName}' received by {dropped.ReceivedBy} at {dropped.ReceivedAt:O}: run {dropped.RunId} closed before its owner read it.");
        }
    }
}
