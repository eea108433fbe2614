using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Runtime;

/// <summary>
/// The in-memory home of one running execution: its cached instance, the next event id, the
/// inbox of events not yet applied (appended ones may not be written yet: see Unwritten), and what is live (activities, timers). Everything
/// under <see cref="Gate"/> is touched by several threads; the instance only under
/// <see cref="StepLock"/>, which steps and queries take.
/// </summary>
internal sealed class ExecutionActor(string workflowId, string runId, WorkflowDefinition definition)
{
    public string WorkflowId { get; } = workflowId;

    public string RunId { get; } = runId;

    public WorkflowDefinition Definition { get; } = definition;

    public Lock Gate { get; } = new();

    public SemaphoreSlim StepLock { get; } = new(1, 1);

    public WorkflowInstance Instance { get; } = new(definition, workflowId, runId);

    public Queue<HistoryEvent> Inbox { get; } = new();

    /// <summary>Gets appended events not yet handed to the writer, in event id order; the next write of the run takes them all first.</summary>
    public List<UnwrittenAppend> Unwritten { get; } = [];

    public HashSet<int> LiveActivities { get; } = [];

    public HashSet<int> LiveTimers { get; } = [];

    /// <summary>Gets, per activity command id, how many of its attempts history records as interrupted (rebuilt by replay; read by activity recovery).</summary>
    public Dictionary<int, int> InterruptedAttempts { get; } = [];

    /// <summary>Gets child runs started and not yet resolved: command id to (workflow id, run id).</summary>
    public Dictionary<int, (string WorkflowId, string RunId)> LiveChildren { get; } = [];

    /// <summary>Gets every child run this execution started: command id to (workflow id, run id); kept after the child closed.</summary>
    public Dictionary<int, (string WorkflowId, string RunId)> ChildRuns { get; } = [];

    /// <summary>Gets child command ids whose cancel request is recorded but not yet acknowledged as delivered (re-sent by recovery).</summary>
    public HashSet<int> PendingChildCancels { get; } = [];

    /// <summary>Gets or sets a value indicating whether a WorkflowCancelRequested event was appended (a re-sent child cancel is not appended twice).</summary>
    public bool CancelRequested { get; set; }

    /// <summary>Gets the inbox messages (store ids) this actor appended or is appending, so a message read again before its commit is not appended twice.</summary>
    public HashSet<long> TakenInboxMessages { get; } = [];

    public long NextEventId { get; set; } = 1;

    /// <summary>Gets or sets the lease epoch this runtime claimed the run at; every write set of the run is fenced with it.</summary>
    public long LeaseEpoch { get; set; }

    /// <summary>Gets or sets a value indicating whether a write was refused because another node holds the run now: the actor is dropped and not reloaded.</summary>
    public bool LeaseLost { get; set; }

    public bool StepQueued { get; set; }

    /// <summary>Gets or sets a value indicating whether workflow code must run without a new event (see WorkflowInstance.Poke).</summary>
    public bool PokeRequested { get; set; }

    /// <summary>Gets or sets a value indicating whether the close command was queued for writing: nothing else is appended after it.</summary>
    public bool Closing { get; set; }

    /// <summary>Gets or sets a value indicating whether a commit failed: the actor is dropped and the run reloaded from the store.</summary>
    public bool Faulted { get; set; }

    /// <summary>Gets or sets a value indicating whether the actor was evicted from the cache: appends go to a freshly loaded actor instead.</summary>
    public bool Evicted { get; set; }

    /// <summary>Gets or sets a value indicating whether the actor was loaded on demand for an event that has not been stepped yet (not evictable).</summary>
    public bool Pinned { get; set; }

    /// <summary>Gets or sets when a step last ran (Environment.TickCount64), for choosing what to evict.</summary>
    public long LastActive { get; set; } = Environment.TickCount64;

    /// <summary>Gets a task completed when the actor is evicted (waiters then wait on the reloaded one).</summary>
    public TaskCompletionSource Gone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? ParentRunId { get; set; }

    public int? ParentCommandId { get; set; }

    /// <summary>Gets a task completed once the Started event was applied (queries wait for it).</summary>
    public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<ExecutionClose> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
