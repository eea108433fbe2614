using System.Text.Json;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Runtime;

/// <summary>
/// One live workflow object and its pending awaits. Events are applied one by one
/// (<see cref="Deliver"/>): the event resolves an await (or starts the run, a signal handler,
/// cancellation), then the deterministic scheduler runs workflow code until every task waits
/// again, and the commands it produced are queued. Live, the runtime takes the commands and
/// records them; on replay, <see cref="Replay"/> matches each recorded command event against the
/// queued commands in order and throws <see cref="NonDeterminismException"/> on a difference.
/// Not thread safe: the runtime steps an instance from one thread at a time.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The cancellation source has no timer; late readers of the token may outlive the instance, so it is left to the GC.")]
internal sealed partial class WorkflowInstance
{
    [ThreadStatic]
    private static WorkflowInstance? current;

    private readonly WorkflowTaskScheduler scheduler;
    private readonly Queue<WorkflowCommand> commands = new();
    private readonly Dictionary<int, PendingOperation> pending = [];
    private readonly List<ConditionWaiter> conditions = [];
    private readonly List<Task> signalTasks = [];
    private readonly CancellationTokenSource cancelSource = new();
    private readonly HashSet<string> recordedMarkers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> patches = new(StringComparer.Ordinal);
    private object? workflow;
    private Task<object?>? runTask;
    private int nextCommandId = 1;
    private bool inQuery;
    private string? cancelReason;

    public WorkflowInstance(WorkflowDefinition definition, string workflowId, string runId)
    {
        Definition = definition;
        scheduler = new WorkflowTaskScheduler(this);
        Info = new WorkflowInfo(workflowId, runId, definition.Name, default, null, null);
        Random = new Random(StableSeed(runId));
    }

    public static WorkflowInstance? Current => current;

    public WorkflowDefinition Definition { get; }

    public WorkflowInfo Info { get; private set; }

    public DateTime UtcNow { get; private set; }

    public Random Random { get; }

    public CancellationToken CancellationToken => cancelSource.Token;

    public bool IsReplaying { get; set; }

    /// <summary>Gets a value indicating whether the close command (completed, failed, canceled) was produced.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Gets the number of applied events (for diagnostics).</summary>
    public long AppliedEvents { get; private set; }

    public bool HasCommands => commands.Count > 0;

    /// <summary>Gets or sets what to call when a continuation arrives from outside a step (the runtime schedules a step that fails the run).</summary>
    public Action? OnForeignContinuation { get; set; }

    /// <summary>Runs pending workflow code without a new event (after a foreign continuation).</summary>
    public void Poke()
    {
        var previous = current;
        current = this;
        try
        {
            RunUntilIdle();
        }
        finally
        {
            current = previous;
        }
    }

    /// <summary>Applies one resolution event and runs workflow code until it waits again.</summary>
    public void Deliver(HistoryEvent e)
    {
        var previous = current;
        current = this;
        try
        {
            if (e.Timestamp > UtcNow)
            {
                UtcNow = e.Timestamp;
            }

            AppliedEvents++;
            if (!IsClosed)
            {
                Apply(e);
                RunUntilIdle();
            }
        }
        finally
        {
            current = previous;
        }
    }

    /// <summary>
    /// Starts replaying <paramref name="history"/> (the whole of it, fed afterwards through
    /// <see cref="Replay"/>): <see cref="Patched"/> answers from the markers it recorded.
    /// </summary>
    public void BeginReplay(IEnumerable<HistoryEvent> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        IsReplaying = true;
        foreach (var e in history)
        {
            if (e.EventType == HistoryEventType.MarkerRecorded && e.MarkerName is { } name)
            {
                recordedMarkers.Add(name);
            }
        }
    }

    /// <summary>Replays one recorded event: command events are matched, others delivered.</summary>
    public void Replay(HistoryEvent e)
    {
        if (!e.IsCommand)
        {
            Deliver(e);
            return;
        }

        // The marker of a patch whose check the code no longer makes (the old branch was removed): nothing to match.
        if (e.EventType == HistoryEventType.MarkerRecorded && !(commands.TryPeek(out var next) && next.Matches(e)))
        {
            return;
        }

        if (!commands.TryDequeue(out var command))
        {
            throw new NonDeterminismException(e.EventId, $"history records {WorkflowCommand.Describe(e)} but the workflow code produced no command at this point.");
        }

        if (!command.Matches(e))
        {
            throw new NonDeterminismException(e.EventId, $"history records {WorkflowCommand.Describe(e)} but the workflow code produced {command}.");
        }
    }

    /// <summary>Takes the commands produced since the last call, in production order.</summary>
    public List<WorkflowCommand> TakeCommands()
    {
        var taken = new List<WorkflowCommand>(commands.Count);
        while (commands.TryDequeue(out var c))
        {
            taken.Add(c);
        }

        return taken;
    }

    /// <summary>Peeks at the next command without taking it (replayer end-of-history check).</summary>
    public WorkflowCommand? PeekCommand() => commands.TryPeek(out var c) ? c : null;

    /// <summary>Runs a query handler against the live state; a handler that issues a command throws.</summary>
    public JsonElement? Query(string name, JsonElement? argument)
    {
        if (!Definition.Queries.TryGetValue(name, out var member))
        {
            var known = Definition.Queries.Count == 0 ? "It takes no queries." : $"Known: {string.Join(", ", Definition.Queries.Keys)}.";
            throw new ArgumentException($"Workflow type '{Definition.Name}' has no query '{name}'. {known}");
        }

        if (workflow is null)
        {
            throw new InvalidOperationException($"Workflow '{Info.WorkflowId}' has not started running yet.");
        }

        var previous = current;
        current = this;
        inQuery = true;
        try
        {
            object? value = member switch
            {
                System.Reflection.PropertyInfo p => p.GetValue(workflow),
                System.Reflection.MethodInfo m => TaskResults.Invoke(m, workflow, ArgumentFor(m, argument), m.GetParameters().Length == 1),
                _ => null,
            };
            if (value is Task)
            {
                throw new InvalidOperationException($"Query '{name}' must return a value, not a task.");
            }

            return DurableJson.ToElement(value);
        }
        finally
        {
            inQuery = false;
            current = previous;
        }
    }

    internal void EnsureCanIssueCommands()
    {
        if (inQuery)
        {
            throw new InvalidOperationException("A query handler must not start activities, timers or child workflows.");
        }

        if (!ReferenceEquals(current, this))
        {
            throw new InvalidOperationException("Workflow APIs may only be called from workflow code running on its scheduler.");
        }
    }

    private static object? ArgumentFor(System.Reflection.MethodInfo method, JsonElement? argument)
    {
        var parameters = method.GetParameters();
        return parameters.Length == 1 ? DurableJson.FromElement(argument, parameters[0].ParameterType) : null;
    }

    private static int StableSeed(string text)
    {
        // FNV-1a: string.GetHashCode is randomised per process and would break replay.
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var ch in text)
            {
                hash = (hash ^ ch) * 16777619;
            }

            return hash;
        }
    }

    private void Apply(HistoryEvent e)
    {
        switch (e.EventType)
        {
            case HistoryEventType.WorkflowExecutionStarted:
                Info = new WorkflowInfo(Info.WorkflowId, Info.RunId, Definition.Name, e.Timestamp, e.WorkflowId, e.RunId);
                workflow = Definition.Factory();
                var argument = Definition.RunParameterType is { } t ? DurableJson.FromElement(e.Input, t) : null;
                runTask = Task.Factory.StartNew(() => InvokeRunAsync(argument), CancellationToken.None, TaskCreationOptions.None, scheduler).Unwrap();
                break;
            case HistoryEventType.WorkflowSignaled:
                if (workflow is not null && e.SignalName is { } signal && Definition.Signals.TryGetValue(signal, out var handler))
                {
                    var input = ArgumentFor(handler, e.Input);
                    signalTasks.Add(Task.Factory.StartNew(
                        () => TaskResults.UnwrapAsync(TaskResults.Invoke(handler, workflow, input, handler.GetParameters().Length == 1), null),
                        CancellationToken.None,
                        TaskCreationOptions.None,
                        scheduler).Unwrap());
                }

                break;
            case HistoryEventType.WorkflowCancelRequested:
                if (!cancelSource.IsCancellationRequested)
                {
                    cancelReason = e.Details;
                    cancelSource.Cancel();
                }

                break;
            case HistoryEventType.ActivityTaskCompleted:
            case HistoryEventType.TimerFired:
            case HistoryEventType.ChildWorkflowExecutionCompleted:
                Resolve(e).Complete(e.Result);
                break;
            case HistoryEventType.ActivityTaskFailed:
            case HistoryEventType.ActivityTaskTimedOut:
                var failed = Resolve(e);
                var cause = e.Failure?.ToException();
                failed.Fail(new ActivityFailureException($"Activity '{failed.Name}' failed: {cause?.Message}", failed.Name, e.CommandId ?? 0, e.Attempt ?? 0, cause));
                break;
            case HistoryEventType.ChildWorkflowExecutionFailed:
                var child = Resolve(e);
                var childCause = e.Failure?.ToException();
                child.Fail(new ChildWorkflowFailureException($"Child workflow '{child.Name}' ({e.WorkflowId}) failed: {childCause?.Message}", child.Name, e.WorkflowId ?? string.Empty, childCause));
                break;
            default:
                break;
        }
    }

    private PendingOperation Resolve(HistoryEvent e)
    {
        var id = e.CommandId ?? 0;
        if (id <= 0 || id >= nextCommandId)
        {
            throw new NonDeterminismException(e.EventId, $"{e.EventType} resolves command {id}, which the workflow code never produced.");
        }

        // A missing entry was cancelled earlier (its await already failed); the late outcome is dropped.
        return pending.Remove(id, out var op) ? op : PendingOperation.Dropped;
    }

    private async Task<object?> InvokeRunAsync(object? argument)
    {
        var returned = TaskResults.Invoke(Definition.RunMethod, workflow, argument, Definition.RunParameterType is not null);
        return await TaskResults.UnwrapAsync(returned, Definition.ResultGetter);
    }

    private void RunUntilIdle()
    {
        while (!IsClosed)
        {
            scheduler.RunAll();
            if (scheduler.ForeignContinuationSeen)
            {
                Close(new InvalidOperationException("Workflow code awaited a task that the workflow API did not create (Task.Run, Task.Delay, I/O...); use Workflow.DelayAsync and activities instead."));
                return;
            }

            var progressed = false;
            for (var i = 0; i < conditions.Count; i++)
            {
                bool satisfied;
                try
                {
                    satisfied = conditions[i].Condition();
                }
                catch (Exception ex)
                {
                    Close(ex);
                    return;
                }

                if (satisfied)
                {
                    var waiter = conditions[i];
                    conditions.RemoveAt(i);
                    waiter.Completion.TrySetResult(true);
                    progressed = true;
                    break;
                }
            }

            if (!progressed)
            {
                break;
            }
        }

        if (IsClosed)
        {
            return;
        }

        if (signalTasks.Find(t => t.IsFaulted) is { } faultedSignal)
        {
            Close(faultedSignal.Exception!.InnerException!);
        }
        else if (runTask is { IsCompleted: true } run)
        {
            Close(run.IsCompletedSuccessfully ? null : run.Exception?.InnerException ?? new OperationCanceledException("The run method was cancelled."));
        }
    }

    private void Close(Exception? failure)
    {
        IsClosed = true;
        if (failure is null)
        {
#pragma warning disable VSTHRD002 // The run task has completed successfully: Result does not wait.
            var result = runTask!.Result;
#pragma warning restore VSTHRD002
            commands.Enqueue(new WorkflowCommand(WorkflowCommandKind.CompleteWorkflow, 0) { Result = DurableJson.ToElement(result) });
        }
        else if (cancelSource.IsCancellationRequested && IsCancellation(failure))
        {
            commands.Enqueue(new WorkflowCommand(WorkflowCommandKind.CancelWorkflow, 0) { Failure = FailureInfo.FromException(failure) });
        }
        else
        {
            commands.Enqueue(new WorkflowCommand(WorkflowCommandKind.FailWorkflow, 0) { Failure = FailureInfo.FromException(failure) });
        }

        foreach (var op in pending.Values)
        {
            op.Registration.Dispose();
        }
    }

    private static bool IsCancellation(Exception e) =>
        e is CanceledFailureException or OperationCanceledException || e.InnerException is CanceledFailureException;
}
