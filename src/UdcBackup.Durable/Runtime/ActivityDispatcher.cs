using System.Collections.Concurrent;
using System.Text.Json;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Runtime;

/// <summary>
/// Runs activity attempts (at least once). An attempt runs on the thread pool (bounded by
/// MaxConcurrentActivities) under its timeouts, all on the injected TimeProvider: start-to-close
/// and heartbeat timeouts fail the attempt (retried), schedule-to-close ends the activity. A
/// failed attempt is retried after the policy's backoff unless its error type is non-retryable,
/// the attempts are used up or the schedule-to-close deadline would pass; the retry state (next
/// attempt, last failure, heartbeat details) is persisted before the retry timer is armed.
/// The final outcome is appended to history (ActivityTaskStarted + Completed/Failed/TimedOut) and
/// the task row deleted in the same commit. Heartbeat details are kept in memory on every call
/// and persisted at most every min(1 s, heartbeat timeout / 2).
/// An attempt's code runs only once the store shows it started: attempt 1's start is written
/// with the step that schedules it (dispatch follows that commit); every later attempt (a retry,
/// a task resumed at recovery) commits its start and waits for it before the code runs. So a
/// kill at any moment of the code leaves the attempt started in the store, and recovery sees it.
/// Such an attempt was cut short by its node (stop, crash, lost lease), not by its own outcome:
/// it is recorded as ActivityTaskAttemptInterrupted, committed together with the next attempt's
/// start, and not counted against MaximumAttempts; more than MaxInterruptedAttempts of them (or
/// the schedule-to-close deadline) end the activity, so an activity that kills its controller
/// every time, even at once, cannot loop forever.
/// </summary>
internal sealed partial class ActivityDispatcher(DurableRuntime runtime, int maxConcurrent, int maxInterrupted) : IDisposable
{
    /// <summary>The error type of an attempt cut short by its node (history event ActivityTaskAttemptInterrupted).</summary>
    public const string InterruptedErrorType = "WorkerStopped";

    /// <summary>The error type of an activity failed because more than MaxInterruptedAttempts of its attempts were interrupted.</summary>
    public const string TooOftenErrorType = "ActivityInterruptedTooOften";

    private static readonly TimeSpan MaxPersistInterval = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<(string RunId, int CommandId), ActivityRun> runs = new();
    private readonly SemaphoreSlim slots = new(maxConcurrent, maxConcurrent);
    private volatile bool stopping;

    public int Running => runs.Count;

    public void Dispose() => slots.Dispose();

    /// <summary>Starts attempt 1 of a freshly scheduled activity.</summary>
    public void Start(ActivityTaskRecord task) => Launch(task, immediately: true);

    /// <summary>
    /// Resumes a pending activity found in the store at recovery. <paramref name="interruptions"/>
    /// is how many of its attempts history already records as interrupted.
    /// </summary>
    public void Recover(ActivityTaskRecord task, int interruptions)
    {
        if (runs.ContainsKey((task.RunId, task.CommandId)))
        {
            return;
        }

        if (task.StartedTime is null)
        {
            Launch(task, immediately: false, interruptions);
            return;
        }

        // The attempt that was running when its node stopped, crashed or lost the run did not
        // fail: it is recorded as interrupted and run again without using up an attempt.
        var count = interruptions + 1;
        var reason = new FailureInfo
        {
            Kind = "Application",
            ErrorType = InterruptedErrorType,
            Message = $"Attempt {task.Attempt} was cut short: the controller node running it stopped, crashed or lost its lease (interruption {count}); it does not count against MaximumAttempts.",
        };
        var next = task with { Attempt = task.Attempt + 1, StartedTime = null, NextAttemptTime = null, LastFailure = reason };
        var run = Register(next, interruptions: count);
        if (run is null)
        {
            return;
        }

        if (maxInterrupted > 0 && count > maxInterrupted)
        {
            var error = new ApplicationFailureException(
                $"Activity '{task.ActivityType}' was interrupted {count} times by a stop or crash of its controller node (limit {maxInterrupted}); it may be what kills the controller.",
                TooOftenErrorType,
                nonRetryable: true);
            run.Running = Task.Run(() => FinishAsync(run, task, null, error, null));
            return;
        }

        // Recorded by the next attempt's start commit (or its final outcome), so the count that
        // bounds interruptions never lags the attempts whose code ran.
        run.PendingInterruption = new HistoryEvent { EventType = HistoryEventType.ActivityTaskAttemptInterrupted, CommandId = task.CommandId, Attempt = task.Attempt, Failure = reason };
        run.Running = Task.Run(() => RunAttemptAsync(run, persistStart: true));
    }

    public void Cancel(string runId, int commandId)
    {
        if (runs.TryRemove((runId, commandId), out var run))
        {
            lock (run.Gate)
            {
                run.CanceledByWorkflow = true;
                run.RetryTimer?.Dispose();
            }

            TryCancel(run.Cancel);
        }
    }

    public async Task StopAsync(TimeSpan grace)
    {
        stopping = true;
        var all = runs.Values.ToList();
        foreach (var run in all)
        {
            run.RetryTimer?.Dispose();
            TryCancel(run.Cancel);
        }

        try
        {
            await Task.WhenAll(all.Select(r => r.Running)).WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            runtime.Log(DurableLogLevel.Warning, "Some activities did not return within the shutdown grace period.");
        }
        catch (Exception)
        {
            // Attempt failures are recorded by the attempts themselves.
        }

        foreach (var run in all)
        {
            FlushHeartbeat(run);
        }
    }

    private static void TryCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
        catch (AggregateException)
        {
            // A cancellation callback of the activity threw; the attempt reports its own outcome.
        }
    }

    private void Launch(ActivityTaskRecord task, bool immediately, int interruptions = 0)
    {
        if (Register(task, interruptions) is not { } run)
        {
            return;
        }

        if (immediately || task.NextAttemptTime is not { } at || at <= runtime.Now)
        {
            run.Running = Task.Run(() => RunAttemptAsync(run, persistStart: !immediately));
        }
        else
        {
            ArmRetry(run, at);
        }
    }

    /// <summary>Creates the in-memory run of a pending activity; null if it is already running here.</summary>
    private ActivityRun? Register(ActivityTaskRecord task, int interruptions)
    {
        ActivityOptions options;
        try
        {
            options = task.Options.Deserialize<ActivityOptions>(DurableJson.Options) ?? new ActivityOptions();
        }
        catch (JsonException)
        {
            options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(10) };
        }

        var run = new ActivityRun(task, options) { LastPersisted = runtime.Now, Interruptions = interruptions };
        if (!runs.TryAdd((task.RunId, task.CommandId), run))
        {
            run.Dispose();
            return null;
        }

        return run;
    }

    private void ArmRetry(ActivityRun run, DateTime at)
    {
        lock (run.Gate)
        {
            if (run.CanceledByWorkflow || stopping)
            {
                return;
            }

            var due = at - runtime.Now;
            run.RetryTimer?.Dispose();
            run.RetryTimer = runtime.Time.CreateTimer(_ => run.Running = Task.Run(() => RunAttemptAsync(run, persistStart: true)), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task RunAttemptAsync(ActivityRun run, bool persistStart)
    {
        if (stopping || run.CanceledByWorkflow)
        {
            return;
        }

        await slots.WaitAsync();
        try
        {
            await RunAttemptInSlotAsync(run, persistStart);
        }
        catch (Exception ex)
        {
            runtime.Log(DurableLogLevel.Error, $"Activity {run.Record.ActivityType} of run {run.Record.RunId}: recording the attempt failed.", ex);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task RunAttemptInSlotAsync(ActivityRun run, bool persistStart)
    {
        var now = runtime.Now;
        var task = run.Record with { StartedTime = now, NextAttemptTime = null };
        run.Record = task;
        var deadline = run.Options.ScheduleToCloseTimeout is { } s2c ? task.ScheduledTime + s2c : (DateTime?)null;
        if (deadline <= now)
        {
            await FinishAsync(run, task, null, new TimeoutFailureException("Schedule-to-close timeout passed before the attempt could start.", TimeoutType.ScheduleToClose), TimeoutType.ScheduleToClose);
            return;
        }

        if (run.Policy.MaximumAttempts > 0 && run.CountedAttempt > run.Policy.MaximumAttempts)
        {
            var last = task.LastFailure?.ToException() ?? new TimeoutFailureException("No attempts left.", TimeoutType.StartToClose);
            await FinishAsync(run, task, null, last, null);
            return;
        }

        if (persistStart && !await RecordStartAsync(run, task))
        {
            return;
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(run.Cancel.Token);
        TimeoutType? fired = null;
        void Expire(TimeoutType type)
        {
            fired ??= type;
            TryCancel(attempt);
        }

        var firstLimit = Min(run.Options.StartToCloseTimeout, deadline - now);
        using var limitTimer = firstLimit is { } limit
            ? runtime.Time.CreateTimer(_ => Expire(run.Options.StartToCloseTimeout is { } stc && (deadline is null || now + stc <= deadline) ? TimeoutType.StartToClose : TimeoutType.ScheduleToClose), null, limit, Timeout.InfiniteTimeSpan)
            : null;
        using var heartbeatTimer = run.Options.HeartbeatTimeout is { } hb
            ? runtime.Time.CreateTimer(_ => Expire(TimeoutType.Heartbeat), null, hb, Timeout.InfiniteTimeSpan)
            : null;

        var info = new ActivityInfo(task.ActivityType, task.CommandId, task.Attempt, task.WorkflowId, task.RunId, task.WorkflowType, task.ScheduledTime, now, run.Options.HeartbeatTimeout, run.LatestDetails);
        var context = new ActivityExecutionContext(info, details => OnHeartbeat(run, details, heartbeatTimer), attempt.Token);
        object? result = null;
        Exception? error = null;
        var definition = runtime.Registry.FindActivity(task.ActivityType);
        try
        {
            if (definition is null)
            {
                throw new ApplicationFailureException($"No activity named '{task.ActivityType}' is registered with this worker.", "ActivityNotRegistered", nonRetryable: true);
            }

            object? argument;
            try
            {
                argument = definition.ParameterType is { } t ? DurableJson.FromElement(task.Input, t) : null;
            }
            catch (JsonException ex)
            {
                throw new ApplicationFailureException($"The input does not fit activity '{task.ActivityType}': {ex.Message}", "InvalidActivityInput", nonRetryable: true);
            }

            ActivityExecutionContext.SetCurrent(context);
            result = await definition.InvokeAsync(argument);
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            ActivityExecutionContext.SetCurrent(null);
        }

        if (run.CanceledByWorkflow || (stopping && fired is null))
        {
            // Cancelled by the workflow (nothing more to record) or stopped (the task stays pending).
            return;
        }

        if (fired is { } timeout)
        {
            error = new TimeoutFailureException($"Activity '{task.ActivityType}' attempt {task.Attempt}: {timeout} timeout.", timeout, error is OperationCanceledException ? null : error);
        }

        if (error is null)
        {
            await FinishAsync(run, task, DurableJson.ToElement(result), null, null);
            return;
        }

        var failure = FailureInfo.FromException(error);
        var retryAt = runtime.Now + run.Policy.DelayAfter(run.CountedAttempt);
        var retryable = fired != TimeoutType.ScheduleToClose
            && !(error is ApplicationFailureException { NonRetryable: true })
            && !run.Policy.NonRetryableErrorTypes.Contains(failure.ErrorType ?? string.Empty)
            && (run.Policy.MaximumAttempts == 0 || run.CountedAttempt < run.Policy.MaximumAttempts)
            && (deadline is null || retryAt < deadline);
        if (!retryable)
        {
            await FinishAsync(run, task, null, error, fired);
            return;
        }

        run.Record = task with { Attempt = task.Attempt + 1, StartedTime = null, NextAttemptTime = retryAt, LastFailure = failure, HeartbeatDetails = run.LatestDetails, HeartbeatTime = run.LatestHeartbeatTime };
        runtime.PersistActivityTask(run.Record);
        ArmRetry(run, retryAt);
    }

    /// <summary>
    /// Commits the attempt's start (with the interruption that led to it, if any) and waits for
    /// it, so the code never runs while the store could still show the attempt unstarted: a kill
    /// at any point after this is seen by recovery as an interruption. False (the attempt must not
    /// run) when the run is gone from this node, closed, the activity cancelled, the lease lost
    /// (the fence refused the start: the new owner runs the attempt) or the commit failed (the run
    /// is reloaded and recovery resumes the activity from its row); the run is then dropped here.
    /// </summary>
    private async Task<bool> RecordStartAsync(ActivityRun run, ActivityTaskRecord started)
    {
        bool recorded;
        try
        {
            recorded = await runtime.RecordActivityStartAsync(started, run.PendingInterruption);
        }
        catch (Exception ex)
        {
            runtime.Log(DurableLogLevel.Warning, $"Recording the start of activity {started.ActivityType} attempt {started.Attempt} of run {started.RunId} failed; it resumes when the run is reloaded.", ex);
            recorded = false;
        }

        if (recorded)
        {
            run.PendingInterruption = null;
            return !stopping && !run.CanceledByWorkflow;
        }

        if (runs.TryRemove(new KeyValuePair<(string, int), ActivityRun>((started.RunId, started.CommandId), run)))
        {
            run.Dispose();
        }

        return false;
    }

    private async Task FinishAsync(ActivityRun run, ActivityTaskRecord task, JsonElement? result, Exception? error, TimeoutType? timeout)
    {
        runs.TryRemove(new KeyValuePair<(string, int), ActivityRun>((task.RunId, task.CommandId), run));
        lock (run.Gate)
        {
            run.FlushTimer?.Dispose();
            run.FlushTimer = null;
        }

        var started = new HistoryEvent { EventType = HistoryEventType.ActivityTaskStarted, CommandId = task.CommandId, Attempt = task.Attempt };
        var outcome = error is null
            ? new HistoryEvent { EventType = HistoryEventType.ActivityTaskCompleted, CommandId = task.CommandId, Attempt = task.Attempt, Result = result }
            : new HistoryEvent { EventType = timeout is null ? HistoryEventType.ActivityTaskFailed : HistoryEventType.ActivityTaskTimedOut, CommandId = task.CommandId, Attempt = task.Attempt, Failure = FailureInfo.FromException(error) };
        HistoryEvent[] events = run.PendingInterruption is { } interrupted ? [interrupted, started, outcome] : [started, outcome];
        await runtime.CompleteActivityAsync(task.RunId, task.CommandId, events);
        run.Dispose();
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
