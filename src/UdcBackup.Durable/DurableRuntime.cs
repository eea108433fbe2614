using System.Collections.Concurrent;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Schedules;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable;

/// <summary>
/// The durable-execution host of one process: owns the group-commit writer, the cached running
/// executions, activity attempts, durable timers, schedules and lease renewal.
/// <para>
/// Start-up (recovery): initialise/migrate the store, claim running executions (lease), load and
/// replay each one's history into a cached instance, commit whatever commands the code produces
/// past the end of its history (work that was decided but not recorded before a crash), re-arm
/// pending timers, re-dispatch pending activity tasks (an attempt that was running at the crash
/// is counted and retried with its last persisted heartbeat details), deliver results of
/// children that closed while their parent's event was not yet written, then start schedules.
/// </para>
/// <para>
/// Steady state: an event is committed, then moved to its execution's inbox; a step applies the
/// inbox to the cached instance (no replay), records the produced commands in one commit, and
/// only after that commit dispatches activities, arms timers, starts children or reports the
/// result. Signals and cancel requests for runs another node owns go to the store's durable
/// inbox, which the owner reads every InboxPollInterval; lease renewal also notices runs another
/// node took over and stops driving them at once. Stop cancels running activity attempts (their tasks stay pending in the store),
/// flushes the writer and releases the leases.
/// </para>
/// </summary>
public sealed partial class DurableRuntime : IAsyncDisposable
{
    private readonly DurableRuntimeOptions options;
    private readonly ConcurrentDictionary<string, ExecutionActor> cache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExecutionActor> runningByWorkflowId = new(StringComparer.Ordinal);
    private readonly Lock registryGate = new();
    private readonly CancellationTokenSource stopping = new();
    private CommitWriter? writer;
    private ActivityDispatcher? dispatcher;
    private DurableTimerService? timers;
    private ITimer? leaseTimer;
    private ITimer? sweepTimer;
    private ITimer? inboxTimer;
    private int state;

    public DurableRuntime(DurableRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        Registry = new WorkflowRegistry(options.Workflows, options.Activities);
        Client = new WorkflowClient(this);
        Schedules = new ScheduleClient(this);
    }

    /// <summary>Gets the client for starting, signalling, querying, cancelling, describing and listing executions.</summary>
    public WorkflowClient Client { get; }

    /// <summary>Gets the client of schedules (create, pause, trigger, describe...).</summary>
    public ScheduleClient Schedules { get; }

    /// <summary>Gets the registered workflow type names.</summary>
    public IReadOnlyCollection<string> WorkflowTypes => [.. Registry.WorkflowTypes];

    /// <summary>
    /// Finds the parameter a registered workflow type's run method takes (null when it takes
    /// none), so a caller can describe or check an input in its own words before starting a run
    /// (the runtime's own check at start stays the rule); false when the type is not registered.
    /// </summary>
    public bool TryGetRunParameter(string workflowType, out System.Reflection.ParameterInfo? parameter)
    {
        parameter = null;
        if (Registry.FindWorkflow(workflowType) is not { } definition)
        {
            return false;
        }

        parameter = definition.RunMethod.GetParameters().SingleOrDefault();
        return true;
    }

    /// <summary>
    /// The signal names a registered workflow type's runs take (its <see cref="Workflows.WorkflowSignalAttribute"/>
    /// handlers), in ordinal order, so a caller can offer exactly those; the runtime refuses any
    /// other at signal time. Null when the type is not registered.
    /// </summary>
    public IReadOnlyList<string>? SignalNames(string workflowType) =>
        Registry.FindWorkflow(workflowType)?.Signals.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Checks an input as a start would: why it cannot start a run of <paramref name="workflowType"/>
    /// (it does not fit the run's parameter, or the input names its own problems through
    /// <see cref="Workflows.IValidatedWorkflowInput"/>), or null when it can or the type is not registered.
    /// For callers that keep an input to start runs later (a schedule) and must refuse it now.
    /// </summary>
    public string? CheckWorkflowInput(string workflowType, System.Text.Json.JsonElement? input) =>
        Registry.FindWorkflow(workflowType) is { } definition ? InputRefusal(definition, input) : null;

    /// <summary>Gets the number of executions held in memory.</summary>
    public int CachedExecutions => cache.Count;

    /// <summary>Gets the number of transactions and write sets committed so far (group-commit efficiency).</summary>
    public (long Batches, long Sets) CommitStatistics => writer is null ? (0, 0) : (writer.Batches, writer.Sets);

    internal WorkflowRegistry Registry { get; }

    internal IWorkflowStore Store => options.Store;

    internal TimeProvider Time => options.TimeProvider;

    internal DateTime Now => options.TimeProvider.GetUtcNow().UtcDateTime;

    internal CommitWriter Writer => writer ?? throw new InvalidOperationException("The runtime is not started; call StartAsync first.");

    /// <summary>Opens the store, recovers every running execution and starts timers, activities and schedules.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The runtime was already started.");
        }

        await Store.InitializeAsync(cancellationToken);
        await ReindexSearchAttributesAsync(cancellationToken);
        writer = new CommitWriter(Store, options.MaxCommitBatch, Log, HandleLeaseLost);
        timers = new DurableTimerService(Time);
        dispatcher = new ActivityDispatcher(this, options.MaxConcurrentActivities, options.MaxInterruptedAttempts);
        await RecoverAsync(cancellationToken);
        var renewEvery = options.LeaseDuration / 3;
        leaseTimer = Time.CreateTimer(_ => _ = MaintainLeasesAsync(), null, renewEvery, renewEvery);
        inboxTimer = Time.CreateTimer(_ => _ = PollInboxAsync(), null, options.InboxPollInterval, options.InboxPollInterval);
        if (options.MaxCachedExecutions > 0)
        {
            sweepTimer = Time.CreateTimer(_ => SweepCache(), null, options.CacheSweepInterval, options.CacheSweepInterval);
        }

        await Schedules.StartAsync(cancellationToken);
        state = 2;
    }

    /// <summary>Stops schedules and activities (pending work stays in the store for the next start), flushes writes and releases leases.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref state, 3) is 0 or 3)
        {
            return;
        }

        await stopping.CancelAsync();
        leaseTimer?.Dispose();
        inboxTimer?.Dispose();
        sweepTimer?.Dispose();
        Schedules.Stop();
        timers?.Dispose();
        if (dispatcher is not null)
        {
            await dispatcher.StopAsync(options.ShutdownGracePeriod);
        }

        if (writer is not null)
        {
            await writer.DisposeAsync();
        }

        try
        {
            await Store.ReleaseLeasesAsync(options.OwnerId);
        }
        catch (Exception ex)
        {
            Log(DurableLogLevel.Warning, "Releasing leases failed; they expire on their own.", ex);
        }

        foreach (var actor in cache.Values)
        {
            actor.Closed.TrySetCanceled();
        }

        cache.Clear();
    }

    /// <summary>Stops the runtime and disposes the store it was given (the runtime owns it).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Store.DisposeAsync();
        stopping.Dispose();
        claimGate.Dispose();
        dispatcher?.Dispose();
        Schedules.Dispose();
    }

    internal void Log(DurableLogLevel level, string message, Exception? exception = null) =>
        options.Log?.Invoke(level, message, exception);

    internal ExecutionActor? FindCached(string runId) => cache.GetValueOrDefault(runId);

    internal ExecutionActor? FindRunning(string workflowId)
    {
        lock (registryGate)
        {
            return runningByWorkflowId.GetValueOrDefault(workflowId);
        }
    }

    internal ActivityDispatcher Activities => dispatcher ?? throw new InvalidOperationException("The runtime is not started.");

    internal DurableTimerService Timers => timers ?? throw new InvalidOperationException("The runtime is not started.");

    private bool TryRegister(ExecutionActor actor)
    {
        lock (registryGate)
        {
            if (runningByWorkflowId.ContainsKey(actor.WorkflowId))
            {
                return false;
            }

            runningByWorkflowId[actor.WorkflowId] = actor;
            cache[actor.RunId] = actor;
            return true;
        }
    }

    private void Unregister(ExecutionActor actor)
    {
        lock (registryGate)
        {
            if (runningByWorkflowId.TryGetValue(actor.WorkflowId, out var registered) && ReferenceEquals(registered, actor))
            {
                runningByWorkflowId.Remove(actor.WorkflowId);
            }

            cache.TryRemove(new KeyValuePair<string, ExecutionActor>(actor.RunId, actor));
        }
    }

    private static HistoryEvent Stamp(HistoryEvent e, long eventId, DateTime now) => e with { EventId = eventId, Timestamp = now };
}
