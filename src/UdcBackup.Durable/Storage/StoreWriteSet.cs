namespace UdcBackup.Durable.Storage;

/// <summary>
/// One atomic unit of a commit: the changes that one runtime decision makes. A store applies
/// many sets in one transaction (group commit). If one of <see cref="NewExecutions"/> conflicts with a
/// running run of the same workflow id (or, with <see cref="RejectAnyExisting"/>, any run), the
/// whole set is skipped and reported as rejected; the other sets of the batch still commit. So is
/// a set whose new execution names an exclusive key a running run holds (<see cref="HeldKey"/>).
/// Order of application inside a set: new executions, events, consumed inbox messages, enqueued inbox messages, activity task upserts, heartbeat
/// updates, activity task deletes, timer inserts, timer deletes, close, schedule changes.
/// </summary>
public sealed class StoreWriteSet
{
    /// <summary>Gets runs to create (a workflow start, or the children a step starts).</summary>
    public List<ExecutionRecord> NewExecutions { get; } = [];

    /// <summary>Gets or sets a value indicating whether the new execution conflicts with closed runs of its id too.</summary>
    public bool RejectAnyExisting { get; set; }

    public List<StoredEvent> Events { get; } = [];

    /// <summary>Gets inbox message ids whose events are among <see cref="Events"/>: deleted in the same transaction, so a message becomes history exactly once.</summary>
    public List<long> ConsumeInbox { get; } = [];

    /// <summary>Gets messages to put into other runs' inboxes (a child's outcome for a parent this node does not drive), each only if its run is running.</summary>
    public List<InboxMessage> EnqueueInbox { get; } = [];

    public List<ActivityTaskRecord> UpsertActivityTasks { get; } = [];

    public List<ActivityHeartbeatUpdate> HeartbeatUpdates { get; } = [];

    public List<(string RunId, int CommandId)> DeleteActivityTasks { get; } = [];

    public List<TimerRecord> InsertTimers { get; } = [];

    public List<(string RunId, int CommandId)> DeleteTimers { get; } = [];

    public ExecutionClose? Close { get; set; }

    public ScheduleRecord? UpsertSchedule { get; set; }

    public string? DeleteScheduleId { get; set; }

    /// <summary>
    /// Gets or sets the lease this set is written under (fencing): when set, the store applies the
    /// set only if that run is still running with this owner and epoch, checked inside the commit
    /// transaction; otherwise the set is skipped, reported as rejected, and
    /// <see cref="RejectedByFence"/> is set.
    /// </summary>
    public LeaseFence? Fence { get; set; }

    /// <summary>Gets or sets a value indicating whether the store skipped this set because <see cref="Fence"/> no longer held (set by the store).</summary>
    public bool RejectedByFence { get; set; }

    /// <summary>
    /// Gets or sets the exclusive key of one of <see cref="NewExecutions"/> that a running run
    /// already held, and that run, when the store skipped this set for it (set by the store).
    /// </summary>
    public ExclusiveKeyHolder? HeldKey { get; set; }
}
