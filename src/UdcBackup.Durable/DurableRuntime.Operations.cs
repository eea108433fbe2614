using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Storage;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable;

/// <summary>What clients and parent workflows ask of the runtime: start, signal, cancel, query.</summary>
public sealed partial class DurableRuntime
{
    /// <summary>Starts a run; also returns the id's latest earlier run when a given id had one (closed: a running one refuses the start).</summary>
    internal async Task<(string WorkflowId, string RunId, WorkflowExecutionSummary? Previous)> StartWorkflowAsync(string workflowType, object? input, WorkflowStartOptions? startOptions, CancellationToken cancellationToken)
    {
        EnsureRunning();
        var definition = Registry.GetWorkflow(workflowType);
        var opts = (WorkflowStartOptions?)startOptions?.Clone() ?? new WorkflowStartOptions();
        var inputJson = ValidateInput(definition, input);
        var exclusiveKeys = ExclusiveKeysOf(opts);
        var workflowId = opts.Id ?? Guid.NewGuid().ToString("N");
        if (string.IsNullOrWhiteSpace(workflowId))
        {
            throw new ArgumentException("The workflow id must not be empty.");
        }

        // The row of the id's latest run (no history): what a reused id had, and what RejectDuplicate refuses.
        var existing = opts.Id is null ? null : await Store.GetExecutionAsync(workflowId, null, cancellationToken);
        if (opts.IdReusePolicy == WorkflowIdReusePolicy.RejectDuplicate && existing is not null)
        {
            throw new WorkflowAlreadyStartedException(workflowId, existing.RunId);
        }

        var runId = Guid.CreateVersion7().ToString();
        var actor = NewActor(workflowId, runId, definition);
        actor.LeaseEpoch = 1;
        if (!TryRegister(actor))
        {
            throw new WorkflowAlreadyStartedException(workflowId, FindRunning(workflowId)?.RunId);
        }

        // The Started event and the run's row are written with the first step's commands (one commit);
        // if the store refuses the new run (id conflict) nothing of it is written or takes effect.
        var now = Now;
        var started = new HistoryEvent { EventType = HistoryEventType.WorkflowExecutionStarted, WorkflowType = definition.Name, Input = inputJson, Details = opts.Details };
        var record = new ExecutionRecord(workflowId, runId, definition.Name, WorkflowExecutionStatus.Running, now, null, inputJson, null, null, null, null, null, options.OwnerId, now + options.LeaseDuration)
        {
            LeaseEpoch = 1,
            SearchAttributes = SearchAttributesOf(definition.Name, inputJson),
            ExclusiveKeys = exclusiveKeys,
        };
        var rejectAny = opts.IdReusePolicy == WorkflowIdReusePolicy.RejectDuplicate;
        bool accepted;
        StoreWriteSet? written = null;
        try
        {
            accepted = await AppendAsync(actor, [started], addChanges: set =>
            {
                set.NewExecutions.Add(record);
                set.RejectAnyExisting |= rejectAny;
                written = set;
            });
        }
        catch
        {
            Unregister(actor);
            throw;
        }

        if (!accepted)
        {
            Unregister(actor);
            if (written?.HeldKey is { } held)
            {
                throw new ExclusiveKeyHeldException(held.Key, held.WorkflowId, held.RunId, held.WorkflowType, held.StartTime);
            }

            throw new WorkflowAlreadyStartedException(workflowId, null);
        }

        // Read running, it closed before this start was accepted (else the store refused it): its final row.
        if (existing is { Status: WorkflowExecutionStatus.Running })
        {
            existing = await Store.GetExecutionAsync(workflowId, existing.RunId, cancellationToken) ?? existing;
        }

        return (workflowId, runId, existing is null ? null : Summary(existing));
    }

    private static string[] ExclusiveKeysOf(WorkflowStartOptions start)
    {
        var keys = start.ExclusiveKeys.Distinct(StringComparer.Ordinal).ToArray();
        return keys.Any(string.IsNullOrWhiteSpace) ? throw new ArgumentException("An exclusive key must not be empty.") : keys;
    }

    internal async Task SignalAsync(string workflowId, string signalName, object? argument, CancellationToken cancellationToken)
    {
        var e = new HistoryEvent { EventType = HistoryEventType.WorkflowSignaled, SignalName = signalName, Input = DurableJson.ToElement(argument) };
        if (!await AppendOrSendAsync(workflowId, e, a => () => true, cancellationToken))
        {
            throw new InvalidOperationException($"Workflow {workflowId} closed before the signal '{signalName}' was recorded.");
        }
    }

    /// <summary>
    /// Records a cancel request unless the running run already has one: then nothing is written and
    /// the answer is the recorded one. Checked against history (a request recorded by any node) and,
    /// under the run's gate, against a request this node is writing; the owner of a run drops a
    /// request that reaches it through the inbox after another (<see cref="DeliverInboxMessageAsync"/>).
    /// </summary>
    internal async Task<WorkflowCancelRequest> CancelAsync(string workflowId, string? reason, CancellationToken cancellationToken)
    {
        EnsureRunning();
        var record = await Store.GetExecutionAsync(workflowId, null, cancellationToken) ?? throw new WorkflowNotFoundException(workflowId);
        if (record.Status == WorkflowExecutionStatus.Running && await RecordedCancelAsync(record, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var e = new HistoryEvent { EventType = HistoryEventType.WorkflowCancelRequested, Details = reason };
        var already = false;
        var requestedAt = Now;
        var appended = await AppendOrSendAsync(
            workflowId,
            e,
            a => () =>
            {
                already = a.CancelRequested;
                a.CancelRequested = true;
                return !already;
            },
            cancellationToken);
        if (appended)
        {
            return new WorkflowCancelRequest(workflowId, record.RunId, requestedAt, reason, AlreadyRequested: false);
        }

        if (already)
        {
            // Another request is being written right now: its time is known once it is in history.
            return await RecordedCancelAsync(record, cancellationToken) ?? new WorkflowCancelRequest(workflowId, record.RunId, null, null, AlreadyRequested: true);
        }

        throw new InvalidOperationException($"Workflow {workflowId} closed before the cancel request was recorded.");
    }

    private async Task<WorkflowCancelRequest?> RecordedCancelAsync(ExecutionRecord record, CancellationToken cancellationToken)
    {
        var history = await Store.LoadHistoryAsync(record.RunId, cancellationToken);
        return history.FirstOrDefault(h => h.EventType == HistoryEventType.WorkflowCancelRequested) is { } first
            ? new WorkflowCancelRequest(record.WorkflowId, record.RunId, first.Timestamp, first.Details, AlreadyRequested: true)
            : null;
    }

    internal async Task<JsonElement?> QueryAsync(string workflowId, string? runId, string queryName, object? argument, CancellationToken cancellationToken)
    {
        EnsureRunning();
        var argumentJson = DurableJson.ToElement(argument);
        var actor = runId is null ? FindRunning(workflowId) : FindCached(runId);
        if (actor is not null)
        {
            await actor.Ready.Task.WaitAsync(cancellationToken);
            await actor.StepLock.WaitAsync(cancellationToken);
            try
            {
                return actor.Instance.Query(queryName, argumentJson);
            }
            finally
            {
                actor.StepLock.Release();
            }
        }

        // Not cached (closed, or owned elsewhere): rebuild the state from history; nothing is written.
        var record = await Store.GetExecutionAsync(workflowId, runId, cancellationToken) ?? throw new WorkflowNotFoundException(workflowId, runId);
        var definition = Registry.GetWorkflow(record.WorkflowType);
        var history = await Store.LoadHistoryAsync(record.RunId, cancellationToken);
        var instance = new WorkflowInstance(definition, record.WorkflowId, record.RunId);
        instance.BeginReplay(history);
        foreach (var e in history)
        {
            instance.Replay(e);
        }

        return instance.Query(queryName, argumentJson);
    }

    internal async Task<ExecutionClose> WaitForCloseAsync(string workflowId, string? runId, CancellationToken cancellationToken)
    {
        EnsureRunning();
        var actor = runId is null ? FindRunning(workflowId) : FindCached(runId);
        if (actor is not null && await WaitClosedOrGoneAsync(actor, cancellationToken) is { } closedNow)
        {
            return closedNow;
        }

        while (true)
        {
            var record = await Store.GetExecutionAsync(workflowId, runId, cancellationToken) ?? throw new WorkflowNotFoundException(workflowId, runId);
            if (record.Status != WorkflowExecutionStatus.Running)
            {
                return new ExecutionClose(record.RunId, record.Status, record.CloseTime ?? record.StartTime, record.Result, record.Failure);
            }

            if ((FindCached(record.RunId) ?? await LoadRunAsync(record.RunId, cancellationToken)) is { } cached)
            {
                if (await WaitClosedOrGoneAsync(cached, cancellationToken) is { } closed)
                {
                    return closed;
                }

                continue;
            }

            // Owned by another node: its result only shows up in the store.
            await Task.Delay(TimeSpan.FromMilliseconds(250), Time, cancellationToken);
        }
    }

    /// <summary>
    /// Delivers a client's signal or cancel request: appended to the run's history here if this
    /// node drives the run (loading it if it was evicted or is unowned), else written to the
    /// store's inbox for the owning node. True once durable; false if the run closed first.
    /// </summary>
    private async Task<bool> AppendOrSendAsync(string workflowId, HistoryEvent e, Func<ExecutionActor, Func<bool>> stillValid, CancellationToken cancellationToken)
    {
        // Twice at most: a run lost to another node between the lookup and the append goes to that node's inbox.
        for (var attempt = 0; ; attempt++)
        {
            var (actor, elsewhere) = await ResolveRunningAsync(workflowId, cancellationToken);
            CheckSignal(actor?.Definition ?? Registry.GetWorkflow(elsewhere!.WorkflowType), e);
            if (actor is null)
            {
                return await SendToInboxAsync(elsewhere!.RunId, e, cancellationToken);
            }

            if (await AppendToRunAsync(actor.RunId, [e], stillValid))
            {
                return true;
            }

            if (!actor.LeaseLost || attempt > 0)
            {
                return false;
            }
        }
    }

    private static void CheckSignal(WorkflowDefinition definition, HistoryEvent e)
    {
        if (e.SignalName is { } name && !definition.Signals.ContainsKey(name))
        {
            var known = definition.Signals.Count == 0 ? "It takes no signals." : $"Known: {string.Join(", ", definition.Signals.Keys)}.";
            throw new ArgumentException($"Workflow type '{definition.Name}' has no signal '{name}'. {known}");
        }
    }

    /// <summary>Finds the running run of a workflow id: cached here, claimed and loaded here (evicted, unowned or its owner's lease expired), or its record when another node's lease holds it.</summary>
    private async Task<(ExecutionActor? Actor, ExecutionRecord? Elsewhere)> ResolveRunningAsync(string workflowId, CancellationToken cancellationToken)
    {
        EnsureRunning();
        if (FindRunning(workflowId) is { } actor)
        {
            return (actor, null);
        }

        var record = await Store.GetExecutionAsync(workflowId, null, cancellationToken) ?? throw new WorkflowNotFoundException(workflowId);
        if (record.Status != WorkflowExecutionStatus.Running)
        {
            throw new InvalidOperationException($"Workflow {workflowId} is {record.Status}, not running.");
        }

        // Running but not cached here (evicted): claim and load it; its history is the inbox, nothing is lost.
        var loaded = MayDrive(record) ? await ClaimAndLoadAsync(record.RunId, pin: true, cancellationToken) : null;
        return loaded is not null ? (loaded, null) : (null, record);
    }

    private (HistoryEvent ParentEvent, List<StoredEvent>? After) PrepareChild(ExecutionActor parent, WorkflowCommand command, HistoryEvent e, DateTime now, StoreWriteSet set, List<Action> deliveries)
    {
        var childId = command.ChildWorkflowId!;
        var definition = Registry.FindWorkflow(command.Name!);
        var refusal = definition is null ? $"Unknown workflow type '{command.Name}'." : InputRefusal(definition, command.Input);
        var childRunId = Guid.CreateVersion7().ToString();
        ExecutionActor? child = null;
        if (definition is not null && refusal is null)
        {
            child = NewActor(childId, childRunId, definition);
            child.NextEventId = 2;
            child.ParentRunId = parent.RunId;
            child.ParentCommandId = command.CommandId;
            child.LeaseEpoch = 1;
            if (!TryRegister(child))
            {
                refusal = $"Workflow id '{childId}' is already running.";
                child = null;
            }
        }

        if (child is null)
        {
            var failed = new HistoryEvent
            {
                EventId = parent.NextEventId++,
                EventType = HistoryEventType.ChildWorkflowExecutionFailed,
                Timestamp = now,
                CommandId = command.CommandId,
                WorkflowId = childId,
                Failure = new FailureInfo { Kind = "Application", Message = refusal!, ErrorType = "ChildWorkflowStartFailed", NonRetryable = true },
            };
            deliveries.Add(() => Deliver(parent, [failed]));
            return (e, [new StoredEvent(parent.RunId, failed)]);
        }

        parent.LiveChildren[command.CommandId] = (childId, childRunId);
        parent.ChildRuns[command.CommandId] = (childId, childRunId);
        var started = new HistoryEvent
        {
            EventId = 1,
            EventType = HistoryEventType.WorkflowExecutionStarted,
            Timestamp = now,
            WorkflowType = definition!.Name,
            Input = command.Input,
            WorkflowId = parent.WorkflowId,
            RunId = parent.RunId,
            ParentCommandId = command.CommandId,
        };
        set.NewExecutions.Add(new ExecutionRecord(childId, childRunId, definition.Name, WorkflowExecutionStatus.Running, now, null, command.Input, null, null, parent.WorkflowId, parent.RunId, command.CommandId, options.OwnerId, now + options.LeaseDuration) { LeaseEpoch = 1, SearchAttributes = SearchAttributesOf(definition.Name, command.Input) });
        deliveries.Add(() => Deliver(child, [started]));
        return (e with { RunId = childRunId }, [new StoredEvent(childRunId, started)]);
    }

    private static JsonElement? ValidateInput(WorkflowDefinition definition, object? input)
    {
        JsonElement? json;
        try
        {
            json = DurableJson.ToElement(input);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Input does not fit workflow '{definition.Name}': {ex.Message}", ex);
        }

        return InputRefusal(definition, json) is { } refusal ? throw new ArgumentException(refusal) : json;
    }

    /// <summary>Why <paramref name="json"/> cannot start a run of <paramref name="definition"/> (it does not fit the run's parameter, or the input names its own problems: <see cref="IValidatedWorkflowInput"/>); null when it can.</summary>
    private static string? InputRefusal(WorkflowDefinition definition, JsonElement? json)
    {
        if (definition.RunParameterType is not { } type)
        {
            return null;
        }

        object? value;
        try
        {
            value = DurableJson.FromElement(json, type);
        }
        catch (JsonException ex)
        {
            return $"Input does not fit workflow '{definition.Name}': {ex.Message}";
        }

        return value is IValidatedWorkflowInput validated && validated.Problems() is [_, ..] problems
            ? $"Input of workflow '{definition.Name}' is invalid: {string.Join("; ", problems.Select(p => p.TrimEnd('.')))}."
            : null;
    }

    private void EnsureRunning()
    {
        if (state is not (1 or 2))
        {
            throw new InvalidOperationException("The runtime is not running; call StartAsync first.");
        }
    }
}
