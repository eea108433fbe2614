namespace UdcBackup.Durable.Tests.Support;

/// <summary>
/// A clock that moves only when told: <see cref="Advance"/> walks time forward through every due
/// timer in due order, setting the clock to each timer's due time before firing it, so 120 days
/// pass in milliseconds with timers firing exactly when they would have.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<ManualTimer> timers = [];
    private DateTimeOffset now;

    public ManualTimeProvider(DateTimeOffset? start = null) => now = start ?? new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    public int PendingTimers
    {
        get
        {
            lock (gate)
            {
                return timers.Count(t => t.DueAt is not null);
            }
        }
    }

    public DateTimeOffset? NextDue
    {
        get
        {
            lock (gate)
            {
                return timers.Where(t => t.DueAt is not null).Select(t => t.DueAt).Min();
            }
        }
    }

    /// <summary>
    /// The earliest due time of a one-shot timer: an activity's timeouts, a retry, a durable timer.
    /// The runtime's periodic timers (lease renewal, inbox poll, cache sweep) are left out, so a
    /// test can step to the next thing a run waits for.
    /// </summary>
    public DateTimeOffset? NextOneShotDue
    {
        get
        {
            lock (gate)
            {
                return timers.Where(t => t.DueAt is not null && t.Period is null).Select(t => t.DueAt).Min();
            }
        }
    }

    /// <summary>True when a timer is armed to fire at exactly <paramref name="at"/>.</summary>
    public bool HasTimerDueAt(DateTimeOffset at)
    {
        lock (gate)
        {
            return timers.Any(t => t.DueAt == at);
        }
    }

    /// <summary>
    /// How much earlier than asked a timer longer than this rings (default none), as .NET's timers
    /// do: they count whole milliseconds of a coarse monotonic clock, not the wall clock.
    /// </summary>
    public TimeSpan TimerEarliness { get; set; }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (gate)
        {
            timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Moves the clock forward without firing timers, as time passes while a thread works (a store
    /// commit, say); timers that fell due meanwhile ring at the next <see cref="Advance"/>.
    /// </summary>
    public void Slip(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing due timers on the way.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (gate)
        {
            target = now + by;
        }

        while (true)
        {
            ManualTimer? next;
            lock (gate)
            {
                next = timers.Where(t => t.DueAt is { } d && d <= target).OrderBy(t => t.DueAt).FirstOrDefault();
                if (next is null)
                {
                    now = target;
                    return;
                }

                if (next.DueAt > now)
                {
                    now = next.DueAt!.Value;
                }

                next.DueAt = next.Period is { } p && p > TimeSpan.Zero ? now + p : null;
            }

            next.Fire();
        }
    }

    /// <summary>Moves the clock to the next due timer (if any) and fires it.</summary>
    public bool AdvanceToNextTimer()
    {
        var due = NextDue;
        if (due is null)
        {
            return false;
        }

        var delta = due.Value - GetUtcNow();
        Advance(delta < TimeSpan.Zero ? TimeSpan.Zero : delta);
        return true;
    }

    private void Remove(ManualTimer timer)
    {
        lock (gate)
        {
            timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner.gate)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner.now + (dueTime > owner.TimerEarliness ? dueTime - owner.TimerEarliness : dueTime);
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
                if (dueTime != TimeSpan.Zero)
                {
                    return true;
                }

                // Due now: a real timer fires at once, without waiting for someone to move the clock.
                DueAt = Period is { } p && p > TimeSpan.Zero ? owner.now + p : null;
            }

            ThreadPool.QueueUserWorkItem(_ => Fire());
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
