using System.Text.Json;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Runtime;

/// <summary>The operations behind the static <see cref="Workflow"/> API; each one queues a command and returns the await it resolves.</summary>
internal sealed partial class WorkflowInstance
{
    public Task<JsonElement?> ScheduleActivity(string activityType, object? argument, ActivityOptions options)
    {
        EnsureCanIssueCommands();
        ArgumentNullException.ThrowIfNull(options);
        options = (ActivityOptions)options.Clone();
        options.Validate();
        var token = options.CancellationToken ?? cancelSource.Token;
        var id = nextCommandId++;
        if (token.IsCancellationRequested)
        {
            var why = CancellationCause(token);
            return Task.FromException<JsonElement?>(new ActivityFailureException($"Activity '{activityType}' was not started. {why}", activityType, id, 0, new CanceledFailureException(why)));
        }

        commands.Enqueue(new WorkflowCommand(WorkflowCommandKind.ScheduleActivity, id)
        {
            Name = activityType,
            Input = DurableJson.ToElement(argument),
            Options = JsonSerializer.SerializeToElement(options, DurableJson.Options),
        });
        var op = new PendingOperation(activityType);
        pending[id] = op;
        if (token.CanBeCanceled)
        {
            op.Registration = token.Register(() => CancelActivity(id, token));
        }

        return op.Task;
    }

    public Task<JsonElement?> StartTimer(TimeSpan delay, CancellationToken? cancellationToken)
    {
        EnsureCanIssueCommands();
        var token = cancellationToken ?? cancelSource.Token;
        if (token.IsCancellationRequested)
        {
            return Task.FromException<JsonElement?>(new CanceledFailureException("Timer cancelled before it started."));
        }

        if (delay <= TimeSpan.Zero)
        {
            return Task.FromResult<JsonElement?>(null);
        }

        var id = nextCommandId++;
        commands.Enqueue(new WorkflowCommand(WorkflowCommandKind.StartTimer, id) { FireAt = UtcNow + delay });
        var op = new PendingOperation("timer");
        pending[id] = op;
        if (token.CanBeCanceled)
        {
            op.Registration = token.Register(() => CancelTimer(id));
        }

        return op.Task;
    }

    public Task<JsonElement?> StartChildWorkflow(string workflowType, object? argument, ChildWorkflowOptions? options)
    {
        EnsureCanIssueCommands();
        options = (ChildWorkflowOptions?)options?.Clone() ?? new ChildWorkflowOptions();
        var token = options.CancellationToken ?? cancelSource.Token;
        var id = nextCommandId++;
        if (token.IsCancellationRequested)
        {
            return Task.FromException<JsonElement?>(new CanceledFailureException("Child workflow cancelled before it started."));
        }

        commands.Enqueue(new WorkflowCommand(WorkflowCommandKind.StartChildWorkflow, id)
        {
            Name = workflowType,
            ChildWorkflowId = options.Id ?? $"{Info.WorkflowId}-child-{id}",
            Input = DurableJson.ToElement(argument),
        });
        var op = new PendingOperation(workflowType);
        pending[id] = op;
        if (token.CanBeCanceled)
        {
            var childId = options.Id ?? $"{Info.WorkflowId}-child-{id}";
            var cancellationType = options.CancellationType;
            op.Registration = token.Register(() => CancelChild(id, childId, cancellationType));
        }

        return op.Task;
    }

    public async Task<bool> WaitCondition(Func<bool> condition, TimeSpan? timeout, CancellationToken? cancellationToken)
    {
        EnsureCanIssueCommands();
        ArgumentNullException.ThrowIfNull(condition);
        var token = cancellationToken ?? cancelSource.Token;
        if (token.IsCancellationRequested)
        {
            throw new CanceledFailureException("Wait for condition cancelled.");
        }

        if (condition())
        {
            return true;
        }

        var waiter = new ConditionWaiter(condition);
        conditions.Add(waiter);
        using var registration = token.Register(() =>
        {
            conditions.Remove(waiter);
            waiter.Completion.TrySetException(new CanceledFailureException("Wait for condition cancelled."));
        });
        if (timeout is not { } limit)
        {
            return await waiter.Completion.Task;
        }

        using var timerCancel = new CancellationTokenSource();
        var timer = StartTimer(limit, timerCancel.Token);
        var first = await Task.WhenAny(waiter.Completion.Task, timer);
        if (first == waiter.Completion.Task)
        {
            // Synchronous on purpose: CancelAsync runs callbacks on the thread pool, off the deterministic scheduler.
#pragma warning disable VSTHRD103 // Cancel synchronously blocks
            timerCancel.Cancel();
#pragma warning restore VSTHRD103
            return await waiter.Completion.Task;
        }

        conditions.Remove(waiter);
        await timer;
        return false;
    }

    /// <summary>
    /// Whether the code takes the patched branch <paramref name="patchId"/>: true, with a marker
    /// recorded, when the code gets here for the first time; on replay, true only if the history
    /// recorded that marker, so a run recorded by code without the patch replays its old branch.
    /// The first answer holds for the rest of the run.
    /// </summary>
    public bool Patched(string patchId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patchId);
        if (patches.TryGetValue(patchId, out var taken))
        {
            return taken;
        }

        if (inQuery)
        {
            return recordedMarkers.Contains(patchId);
        }

        EnsureCanIssueCommands();
        taken = !IsReplaying || recordedMarkers.Contains(patchId);
        if (taken)
        {
            commands.Enqueue(new WorkflowCommand(WorkflowCommandKind.RecordMarker, 0) { Name = patchId });
        }

        patches[patchId] = taken;
        return taken;
    }

    public Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private void CancelActivity(int id, CancellationToken token)
    {
        if (!pending.Remove(id, out var op))
        {
            return;
        }

        commands.Enqueue(new WorkflowCommand(WorkflowCommandKind.RequestCancelActivity, id));
        var why = CancellationCause(token);
        op.Fail(new ActivityFailureException($"Activity '{op.Name}' was cancelled. {why}", op.Name, id, 0, new CanceledFailureException(why)));
    }

    /// <summary>
    /// What cancelled an operation, in words an operator reads on the run and on its systems: the
    /// run's cancel request (with the reason it carried) or a cancellation token of the code's own.
    /// The activity failure's message ends with this text, which is also its cause's message, so a
    /// display that chains causes says it once.
    /// </summary>
    private string CancellationCause(CancellationToken token)
    {
        if (token != cancelSource.Token)
        {
            return "Its cancellation token was cancelled by the workflow code.";
        }

        return string.IsNullOrWhiteSpace(cancelReason) ? "Workflow cancelled." : $"Workflow cancelled: {cancelReason.TrimEnd('.')}.";
    }

    /// <summary>
    /// The child's token fired. Abandon and TryCancel stop waiting at once; TryCancel and
    /// WaitCancellationCompleted record a cancel request (the runtime sends it to the child after
    /// the commit); with WaitCancellationCompleted the child's close event still resolves the await.
    /// </summary>
    private void CancelChild(int id, string childWorkflowId, ChildWorkflowCancellationType cancellationType)
    {
        if (!pending.TryGetValue(id, out var op))
        {
            return;
        }

        if (cancellationType != ChildWorkflowCancellationType.Abandon)
        {
            commands.Enqueue(new WorkflowCommand(WorkflowCommandKind.RequestCancelChildWorkflow, id) { Name = op.Name, ChildWorkflowId = childWorkflowId });
        }

        if (cancellationType != ChildWorkflowCancellationType.WaitCancellationCompleted)
        {
            pending.Remove(id);
            op.Fail(new CanceledFailureException(cancellationType == ChildWorkflowCancellationType.Abandon
                ? "Stopped waiting for the child workflow (abandoned): cancelled."
                : "Cancel requested for the child workflow; not waiting for it to close."));
        }
    }

    private void CancelTimer(int id)
    {
        if (!pending.Remove(id, out var op))
        {
            return;
        }

        commands.Enqueue(new WorkflowCommand(WorkflowCommandKind.CancelTimer, id));
        op.Fail(new CanceledFailureException("Timer cancelled."));
    }
}
