using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Schedules;

/// <summary>
/// Schedules, driven by the runtime's TimeProvider. Each schedule has one alarm at its next fire
/// time. When it rings (or at start-up, after downtime), every fire time since the last
/// processed instant is handled: fired if within the catch-up window, otherwise dropped and
/// recorded as missed; paused schedules drop them silently. A firing starts workflow id
/// "{schedule id}-{fire time UTC yyyyMMddTHHmmssZ}" with RejectDuplicate, so re-handling the
/// same fire time after a crash starts nothing twice. Overlap with a still-running previous
/// run follows the policy; a firing whose action's exclusive keys a running run holds is skipped
/// and recorded with that run. State is written to the store after each handling; all operations
/// of all schedules are serialised by one lock (schedules are few and cheap). An update swaps the
/// definition (spec, action, policy) but keeps the state (created time, pause and note, recent
/// actions, running and buffered runs); it counts the time before it as handled, so a new spec
/// whose fire times lie in the past causes no catch-up burst.
/// </summary>
public sealed class ScheduleClient : IDisposable
{
    private readonly DurableRuntime runtime;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private volatile bool stopped;

    internal ScheduleClient(DurableRuntime runtime) => this.runtime = runtime;

    public void Dispose() => gate.Dispose();

    public async Task CreateAsync(ScheduleDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Validate(definition);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (entries.ContainsKey(definition.Id) || await runtime.Store.GetScheduleAsync(definition.Id, cancellationToken) is not null)
            {
                throw new InvalidOperationException($"A schedule with id '{definition.Id}' already exists.");
            }

            var now = runtime.Now;
            var entry = new Entry(definition, new ScheduleState { Paused = definition.Paused, Note = definition.Note, ProcessedUntil = now, CreatedAt = now });
            await SaveAsync(entry);
            entries[definition.Id] = entry;
            Arm(entry);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Replaces spec, action and policy of an existing schedule, validated like <see cref="CreateAsync"/>.
    /// The definition's <c>Paused</c> and <c>Note</c> are ignored: pause with a note is its own operation.
    /// </summary>
    /// <exception cref="ScheduleNotFoundException">No schedule has the definition's id.</exception>
    public async Task UpdateAsync(ScheduleDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Validate(definition);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var entry = Get(definition.Id);
            entry.Definition = definition with { Paused = entry.State.Paused, Note = entry.State.Note };

            // Fire times of the old spec not yet handled and past ones of the new spec are not caught up.
            entry.State.ProcessedUntil = runtime.Now;
            await SaveAsync(entry);
            Arm(entry);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<ScheduleDescription> DescribeAsync(string scheduleId, int nextFireTimes = 5, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return Describe(Get(scheduleId), nextFireTimes);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<IReadOnlyList<ScheduleDescription>> ListAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return [.. entries.Values.OrderBy(e => e.Definition.Id, StringComparer.Ordinal).Select(e => Describe(e, 1))];
        }
        finally
        {
            gate.Release();
        }
    }

    public Task PauseAsync(string scheduleId, string? note = null, CancellationToken cancellationToken = default) =>
        MutateAsync(scheduleId, entry =>
        {
            entry.State.Paused = true;
            entry.State.Note = note ?? entry.State.Note;
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>Resumes firing; fire times that passed while paused are not caught up.</summary>
    public Task UnpauseAsync(string scheduleId, string? note = null, CancellationToken cancellationToken = default) =>
        MutateAsync(scheduleId, entry =>
        {
            entry.State.Paused = false;
            entry.State.Note = note ?? entry.State.Note;
            entry.State.ProcessedUntil = runtime.Now;
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>Fires now (also when paused), with the schedule's overlap policy unless another is given.</summary>
    public Task TriggerAsync(string scheduleId, ScheduleOverlapPolicy? overlap = null, CancellationToken cancellationToken = default) =>
        MutateAsync(scheduleId, entry =>
        {
            var now = runtime.Now;
            var at = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            return TakeActionAsync(entry, at, overlap ?? entry.Definition.Policy.Overlap);
        }, cancellationToken);

    public async Task DeleteAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var entry = Get(scheduleId);
            entry.Timer?.Dispose();
            var set = new StoreWriteSet { DeleteScheduleId = scheduleId };
            await CommitAsync(set);
            entries.Remove(scheduleId);
        }
        finally
        {
            gate.Release();
        }
    }

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        stopped = false;
        foreach (var record in await runtime.Store.LoadSchedulesAsync(cancellationToken))
        {
            var definition = JsonSerializer.Deserialize<ScheduleDefinition>(record.DefinitionJson, DurableJson.Options)!;
            var state = JsonSerializer.Deserialize<ScheduleState>(record.StateJson, DurableJson.Options)!;
            entries[definition.Id] = new Entry(definition, state);
        }

        foreach (var entry in entries.Values.ToList())
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                await ProcessAsync(entry);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    internal void Stop()
    {
        stopped = true;
        foreach (var entry in entries.Values)
        {
            entry.Timer?.Dispose();
        }
    }

    internal void OnExecutionClosed(string workflowId)
    {
        if (stopped || entries.Count == 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await gate.WaitAsync();
            try
            {
                foreach (var entry in entries.Values)
                {
                    if (entry.State.RunningWorkflowIds.Remove(workflowId))
                    {
                        if (entry.State.BufferedFireTime is { } buffered && entry.State.RunningWorkflowIds.Count == 0)
                        {
                            entry.State.BufferedFireTime = null;
                            await TakeActionAsync(entry, buffered, ScheduleOverlapPolicy.AllowAll);
                        }

                        await SaveAsync(entry);
                    }
                }
            }
            catch (Exception ex)
            {
                runtime.Log(DurableLogLevel.Warning, $"Schedule bookkeeping after {workflowId} closed failed.", ex);
            }
            finally
            {
                gate.Release();
            }
        });
    }

    private void Validate(ScheduleDefinition definition)
    {
        if (string.IsNullOrWhiteSpace(definition.Id))
        {
            throw new ArgumentException("A schedule needs an id.");
        }

        definition.Spec.Validate();
        if (definition.Policy.CatchupWindow < TimeSpan.Zero)
        {
            throw new ArgumentException("The catch-up window must not be negative.");
        }

        var workflow = runtime.Registry.GetWorkflow(definition.Action.WorkflowType);
        if (workflow.RunParameterType is { } type)
        {
            try
            {
                DurableJson.FromElement(definition.Action.Input, type);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"The schedule's input does not fit workflow '{workflow.Name}': {ex.Message}", ex);
            }
        }
    }

    private async Task MutateAsync(string scheduleId, Func<Entry, Task> change, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var entry = Get(scheduleId);
            await change(entry);
            await SaveAsync(entry);
            Arm(entry);
        }
        finally
        {
            gate.Release();
        }
    }

    private Entry Get(string scheduleId) =>
        entries.TryGetValue(scheduleId, out var entry) ? entry : throw new ScheduleNotFoundException(scheduleId);

    private ScheduleDescription Describe(Entry entry, int count)
    {
        var next = new List<DateTime>();
        var from = runtime.Now;
        while (next.Count < count && entry.Definition.Spec.GetNextFireTime(from) is { } t)
        {
            next.Add(t);
            from = t;
        }

        var s = entry.State;
        return new ScheduleDescription(entry.Definition with { Paused = s.Paused, Note = s.Note }, s.Paused, s.Note, next, [.. s.RecentActions], [.. s.RunningWorkflowIds], s.BufferedFireTime, s.CreatedAt);
    }

    private async Task ProcessAsync(Entry entry)
    {
        var now = runtime.Now;
        var state = entry.State;
        var window = entry.Definition.Policy.CatchupWindow;
        var from = state.ProcessedUntil;
        if (!state.Paused && now - window > from && entry.Definition.Spec.GetNextFireTime(from) is { } firstMissed && firstMissed < now - window)
        {
            state.Record(new ScheduleActionResult(firstMissed, now, "Missed", null, $"Fire times from {firstMissed:O} to {now - window:O} were outside the catch-up window ({window}) and dropped."));
        }

        if (now - window > from)
        {
            from = now - window;
        }

        if (!state.Paused)
        {
            foreach (var t in entry.Definition.Spec.GetFireTimes(from, now).ToList())
            {
                await TakeActionAsync(entry, t, entry.Definition.Policy.Overlap);
            }
        }

        state.ProcessedUntil = now;
        await SaveAsync(entry);
        Arm(entry);
    }

    private async Task TakeActionAsync(Entry entry, DateTime fireTime, ScheduleOverlapPolicy overlap)
    {
        var state = entry.State;
        var now = runtime.Now;
        state.RunningWorkflowIds.RemoveAll(id => runtime.FindRunning(id) is null);
        if (state.RunningWorkflowIds.Count > 0 && overlap != ScheduleOverlapPolicy.AllowAll)
        {
            if (overlap == ScheduleOverlapPolicy.BufferOne && state.BufferedFireTime is null)
            {
                state.BufferedFireTime = fireTime;
                state.Record(new ScheduleActionResult(fireTime, now, "Buffered", null, $"Waits for {state.RunningWorkflowIds[0]}."));
            }
            else
            {
                state.Record(new ScheduleActionResult(fireTime, now, "Skipped", null, $"{state.RunningWorkflowIds[0]} is still running."));
            }

            return;
        }

        var workflowId = $"{entry.Definition.Id}-{fireTime:yyyyMMdd'T'HHmmss'Z'}";
        try
        {
            await runtime.StartWorkflowAsync(
                entry.Definition.Action.WorkflowType,
                entry.Definition.Action.Input,
                new WorkflowStartOptions
                {
                    Id = workflowId,
                    IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
                    Details = $"schedule {entry.Definition.Id} at {fireTime:O}",
                    ExclusiveKeys = entry.Definition.Action.ExclusiveKeys,
                },
                CancellationToken.None);
            state.RunningWorkflowIds.Add(workflowId);
            state.Record(new ScheduleActionResult(fireTime, now, "Started", workflowId));
        }
        catch (WorkflowAlreadyStartedException)
        {
            state.Record(new ScheduleActionResult(fireTime, now, "AlreadyStarted", workflowId));
        }
        catch (ExclusiveKeyHeldException held)
        {
            state.Record(new ScheduleActionResult(fireTime, now, "Skipped", null, $"{held.Key} is held by {held.WorkflowType} run {held.WorkflowId} (started {held.StartTime:yyyy-MM-dd HH:mm:ss}Z); nothing was started."));
        }
        catch (Exception ex)
        {
            runtime.Log(DurableLogLevel.Error, $"Schedule {entry.Definition.Id} could not start {workflowId}.", ex);
            state.Record(new ScheduleActionResult(fireTime, now, "Failed", workflowId, ex.Message));
        }
    }

    private void Arm(Entry entry)
    {
        entry.Timer?.Dispose();
        entry.Timer = null;
        // The next fire time not yet handled, not the next one after now: an alarm may ring a few
        // milliseconds early (timers count whole milliseconds of a coarse monotonic clock), find
        // nothing due, and by the time its state is saved the fire time has passed; armed from now,
        // that fire time waited for the next alarm, late or outside the catch-up window.
        if (stopped || entry.Definition.Spec.GetNextFireTime(entry.State.ProcessedUntil) is not { } next)
        {
            return;
        }

        var due = next - runtime.Now;
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due;
        var cap = TimeSpan.FromDays(30);
        entry.Timer = runtime.Time.CreateTimer(_ => _ = OnAlarmAsync(entry.Definition.Id), null, due > cap ? cap : due, Timeout.InfiniteTimeSpan);
    }

    private async Task OnAlarmAsync(string scheduleId)
    {
        if (stopped)
        {
            return;
        }

        await gate.WaitAsync();
        try
        {
            if (entries.TryGetValue(scheduleId, out var entry))
            {
                await ProcessAsync(entry);
            }
        }
        catch (Exception ex)
        {
            runtime.Log(DurableLogLevel.Error, $"Schedule {scheduleId} failed to fire.", ex);
        }
        finally
        {
            gate.Release();
        }
    }

    private Task SaveAsync(Entry entry)
    {
        var set = new StoreWriteSet
        {
            UpsertSchedule = new ScheduleRecord(
                entry.Definition.Id,
                JsonSerializer.Serialize(entry.Definition, DurableJson.Options),
                JsonSerializer.Serialize(entry.State, DurableJson.Options),
                runtime.Now),
        };
        return CommitAsync(set);
    }

    private async Task CommitAsync(StoreWriteSet set)
    {
        var request = new WriteRequest(set);
        runtime.Writer.Enqueue(request);
        await request.Completion;
    }

    private sealed class Entry(ScheduleDefinition definition, ScheduleState state)
    {
        public ScheduleDefinition Definition { get; set; } = definition;

        public ScheduleState State { get; } = state;

        public ITimer? Timer { get; set; }
    }
}
