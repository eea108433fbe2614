using System.Collections.Concurrent;

namespace UdcBackup.Durable.Runtime;

/// <summary>
/// In-memory alarms for durable timers (whose truth is the <c>timers</c> table) on the injected
/// TimeProvider. Long timers are armed in steps of at most 30 days because system timers cannot
/// be armed further ahead; a step that ends early re-arms for the rest.
/// </summary>
internal sealed class DurableTimerService(TimeProvider time) : IDisposable
{
    private static readonly TimeSpan LongestArm = TimeSpan.FromDays(30);
    private readonly ConcurrentDictionary<(string RunId, int CommandId), ITimer> timers = new();

    public int Count => timers.Count;

    public void Arm(string runId, int commandId, DateTime fireAt, Action fire)
    {
        var key = (runId, commandId);

        // Registered before it can fire, so a due-now timer cannot race its own registration.
        var timer = time.CreateTimer(_ => OnTick(key, fireAt, fire), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (timers.TryRemove(key, out var old))
        {
            old.Dispose();
        }

        timers[key] = timer;
        timer.Change(DueIn(fireAt), Timeout.InfiniteTimeSpan);
    }

    public void Disarm(string runId, int commandId)
    {
        if (timers.TryRemove((runId, commandId), out var timer))
        {
            timer.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var key in timers.Keys)
        {
            if (timers.TryRemove(key, out var timer))
            {
                timer.Dispose();
            }
        }
    }

    private TimeSpan DueIn(DateTime fireAt)
    {
        var due = fireAt - time.GetUtcNow().UtcDateTime;
        return due < TimeSpan.Zero ? TimeSpan.Zero : due > LongestArm ? LongestArm : due;
    }

    private void OnTick((string RunId, int CommandId) key, DateTime fireAt, Action fire)
    {
        if (!timers.TryGetValue(key, out var timer))
        {
            return;
        }

        if (time.GetUtcNow().UtcDateTime < fireAt)
        {
            timer.Change(DueIn(fireAt), Timeout.InfiniteTimeSpan);
            return;
        }

        if (timers.TryRemove(key, out _))
        {
            timer.Dispose();
            fire();
        }
    }
}
