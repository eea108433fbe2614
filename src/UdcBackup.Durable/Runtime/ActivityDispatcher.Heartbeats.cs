using System.Text.Json;

namespace UdcBackup.Durable.Runtime;

/// <summary>
/// Heartbeats of running attempts: the latest details are kept in memory at every call (describe
/// shows them, a retry in this process receives them) and written to the task row at most every
/// min(1 s, heartbeat timeout / 2), with a trailing write for the last one; a crash therefore
/// loses at most about a second of progress. Each heartbeat also resets the heartbeat timeout.
/// </summary>
internal sealed partial class ActivityDispatcher
{
    public (JsonElement? Details, DateTime? Time) LatestHeartbeat(string runId, int commandId) =>
        runs.TryGetValue((runId, commandId), out var run) ? (run.LatestDetails, run.LatestHeartbeatTime) : (null, null);

    private void OnHeartbeat(ActivityRun run, JsonElement? details, ITimer? heartbeatTimer)
    {
        var now = runtime.Now;
        if (run.Options.HeartbeatTimeout is { } hb)
        {
            heartbeatTimer?.Change(hb, Timeout.InfiniteTimeSpan);
        }

        lock (run.Gate)
        {
            if (details is not null)
            {
                run.LatestDetails = details;
            }

            run.LatestHeartbeatTime = now;
            var interval = run.Options.HeartbeatTimeout is { } timeout && timeout / 2 < MaxPersistInterval ? timeout / 2 : MaxPersistInterval;
            var since = now - run.LastPersisted;
            if (since >= interval)
            {
                run.LastPersisted = now;
                runtime.PersistHeartbeat(run.Record.RunId, run.Record.CommandId, run.LatestDetails, now);
            }
            else
            {
                run.FlushTimer ??= runtime.Time.CreateTimer(_ => FlushHeartbeat(run), null, interval - since, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void FlushHeartbeat(ActivityRun run)
    {
        lock (run.Gate)
        {
            run.FlushTimer?.Dispose();
            run.FlushTimer = null;
            if (run.LatestHeartbeatTime is { } at && at > run.LastPersisted)
            {
                run.LastPersisted = runtime.Now;
                runtime.PersistHeartbeat(run.Record.RunId, run.Record.CommandId, run.LatestDetails, at);
            }
        }
    }
}
