using UdcBackup.Durable.History;

namespace UdcBackup.Durable.Storage;

/// <summary>
/// A signal or cancel request in a running execution's durable inbox (row of <c>inbox</c>):
/// written by a node that received it but does not own the run, appended to the run's history
/// by the owner, which deletes the row in the same transaction (<see cref="StoreWriteSet.ConsumeInbox"/>).
/// </summary>
/// <param name="MessageId">Assigned by the store (ignored on enqueue); orders messages of a run.</param>
/// <param name="RunId">The run the message is for.</param>
/// <param name="Event">The event to append: <c>WorkflowSignaled</c> or <c>WorkflowCancelRequested</c> (id and time are the owner's).</param>
/// <param name="ReceivedAt">When the receiving node accepted it.</param>
/// <param name="ReceivedBy">The receiving node's owner id.</param>
public sealed record InboxMessage(long MessageId, string RunId, HistoryEvent Event, DateTime ReceivedAt, string ReceivedBy);
