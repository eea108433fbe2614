using UdcBackup.Durable.Client;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable;

/// <summary>Configuration of a <see cref="DurableRuntime"/>: its store, clock, identity and the registered workflows and activities.</summary>
public sealed class DurableRuntimeOptions
{
    private readonly List<WorkflowDefinition> workflows = [];
    private readonly List<ActivityDefinition> activities = [];

    public DurableRuntimeOptions(IWorkflowStore store) => Store = store ?? throw new ArgumentNullException(nameof(store));

    public IWorkflowStore Store { get; }

    /// <summary>Gets or sets the clock of every timer, timeout, retry and schedule (inject a manual one in tests).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the identity this runtime claims executions under (one per process/node).</summary>
    public string OwnerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Gets or sets how long a claim on executions lasts without renewal (renewed every third of it).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how often this runtime reads the durable inbox of the runs it owns: signals and
    /// cancel requests that other nodes received for them. It bounds how late such a message takes
    /// effect; one indexed read per period.
    /// </summary>
    public TimeSpan InboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many activity attempts may run at once; further ones wait.</summary>
    public int MaxConcurrentActivities { get; set; } = 1000;

    /// <summary>
    /// Gets or sets how many running executions stay cached; beyond it, the least recently active
    /// executions that wait only for timers or signals are evicted and replayed on their next
    /// event. 0 means no limit.
    /// </summary>
    public int MaxCachedExecutions { get; set; } = 100_000;

    /// <summary>Gets or sets how often the cache is checked against <see cref="MaxCachedExecutions"/>.</summary>
    public TimeSpan CacheSweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the largest number of write sets committed in one transaction.</summary>
    public int MaxCommitBatch { get; set; } = 2000;

    /// <summary>
    /// Gets or sets how many attempts of one activity may be cut short by a stopped, crashed or
    /// superseded node before the activity fails with <c>ActivityInterruptedTooOften</c>. Such
    /// attempts do not count against the retry policy's MaximumAttempts (the activity did not
    /// fail), so this cap is what stops an activity that kills its controller every time from
    /// restarting it forever when it has no schedule-to-close timeout. 0 means no cap.
    /// </summary>
    public int MaxInterruptedAttempts { get; set; } = 10;

    /// <summary>Gets or sets how long StopAsync waits for cancelled activities to return.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how runs get their search attributes (null: runs carry none, and a listing filtered on one is empty).</summary>
    public SearchAttributeRules? SearchAttributes { get; set; }

    /// <summary>Gets or sets the sink of runtime log lines (level, message, exception).</summary>
    public Action<DurableLogLevel, string, Exception?>? Log { get; set; }

    internal IReadOnlyList<WorkflowDefinition> Workflows => workflows;

    internal IReadOnlyList<ActivityDefinition> Activities => activities;

    /// <summary>Registers a workflow class created with its parameterless constructor for each execution.</summary>
    public DurableRuntimeOptions AddWorkflow<TWorkflow>()
        where TWorkflow : class => AddWorkflow(typeof(TWorkflow));

    /// <summary>Registers a workflow class; <paramref name="factory"/> creates one instance per execution.</summary>
    public DurableRuntimeOptions AddWorkflow(Type workflowType, Func<object>? factory = null)
    {
        workflows.Add(WorkflowDefinition.Create(workflowType, factory));
        return this;
    }

    /// <summary>Registers every public [Activity] method of <paramref name="instance"/> (shared by all attempts, so it may hold injected services).</summary>
    public DurableRuntimeOptions AddActivities(object instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        activities.AddRange(ActivityDefinition.FromInstance(instance));
        return this;
    }

    /// <summary>Registers a delegate as an activity under <paramref name="name"/>.</summary>
    public DurableRuntimeOptions AddActivity(string name, Delegate activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activities.Add(new ActivityDefinition(name, activity.Method, activity.Target));
        return this;
    }

    internal void Validate()
    {
        if (LeaseDuration <= TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("LeaseDuration must be longer than one second.");
        }

        if (InboxPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("InboxPollInterval must be positive.");
        }

        if (MaxConcurrentActivities < 1 || MaxCommitBatch < 1 || MaxCachedExecutions < 0 || CacheSweepInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("MaxConcurrentActivities, MaxCommitBatch and CacheSweepInterval must be positive, MaxCachedExecutions not negative.");
        }

        if (MaxInterruptedAttempts < 0)
        {
            throw new ArgumentException("MaxInterruptedAttempts must be 0 (no cap) or positive.");
        }

        if (string.IsNullOrWhiteSpace(OwnerId))
        {
            throw new ArgumentException("OwnerId must not be empty.");
        }
    }
}
