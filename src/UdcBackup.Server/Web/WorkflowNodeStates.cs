using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Web;

/// <summary>
/// Per-node states of a run for the live graph. A <c>flow</c> run answers its <c>nodes</c> query;
/// the attempt, retry state, last failure and heartbeat progress of its running activities come
/// from the runtime's pending activities (retries are not history events), found through each
/// node's position among the run's scheduled activities. Any other workflow gets one step per
/// scheduled activity, derived from the history: id <c>{activity}-{n}</c> (n counts that
/// activity's calls from 1), done/failed from its outcome event, running or retrying while
/// pending (running again after an attempt cut by a controller stop, which is no failure); a step still open when the run closed is failed with the run's ending.
/// </summary>
public static class WorkflowNodeStates
{
    public static async Task<IReadOnlyList<FlowNodeState>> ReadAsync(WorkflowClient client, string workflowId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var run = await client.DescribeAsync(workflowId, cancellationToken: cancellationToken);
        var pending = run.PendingActivities.ToDictionary(p => p.ActivityId);
        var interrupted = Interrupted(run.History);
        if (run.WorkflowType == FlowWorkflow.TypeName)
        {
            var nodes = await client.QueryAsync<List<FlowNodeState>>(workflowId, "nodes", cancellationToken: cancellationToken);
            var scheduled = run.History.Where(e => e.EventType == HistoryEventType.ActivityTaskScheduled).Select(e => e.CommandId ?? 0).ToList();
            return nodes.Select(node =>
            {
                var live = node.ActivityCalls.Where(c => c < scheduled.Count && pending.ContainsKey(scheduled[c])).Select(c => pending[scheduled[c]]).LastOrDefault();
                return live is null || node.State != "running" ? node : WithPending(node, live, interrupted);
            }).ToList();
        }

        return FromHistory(run, pending, interrupted);
    }

    // Attempts a controller stop cut short (command id, attempt): the attempt after one of them
    // runs again without a failure, so it is "running", not "retrying" with an error to show.
    private static HashSet<(int Command, int Attempt)> Interrupted(IEnumerable<HistoryEvent> history) =>
        [.. history.Where(e => e.EventType == HistoryEventType.ActivityTaskAttemptInterrupted).Select(e => (e.CommandId ?? 0, e.Attempt ?? 0))];

    private static FlowNodeState WithPending(FlowNodeState node, PendingActivityInfo live, HashSet<(int Command, int Attempt)> interrupted)
    {
        var afterFailure = live.Attempt > 1 && !interrupted.Contains((live.ActivityId, live.Attempt - 1));
        var retrying = afterFailure || live.NextAttemptTime is not null;
        return node with
        {
            State = retrying ? "retrying" : "running",
            Attempt = live.Attempt,
            Progress = live.HeartbeatDetails,
            Error = retrying ? live.LastFailure?.Message : node.Error,
        };
    }

    private static List<FlowNodeState> FromHistory(WorkflowExecutionDescription run, Dictionary<int, PendingActivityInfo> pending, HashSet<(int Command, int Attempt)> interrupted)
    {
        var steps = new List<FlowNodeState>();
        var byCommand = new Dictionary<int, int>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in run.History)
        {
            var command = e.CommandId ?? 0;
            switch (e.EventType)
            {
                case HistoryEventType.ActivityTaskScheduled:
                    var type = e.ActivityType ?? "activity";
                    counts[type] = counts.GetValueOrDefault(type) + 1;
                    byCommand[command] = steps.Count;
                    var state = new FlowNodeState($"{type}-{counts[type]}", "running", 1, null, null, 0, []);
                    steps.Add(pending.TryGetValue(command, out var live) ? WithPending(state, live, interrupted) : state);
                    break;
                case HistoryEventType.ActivityTaskCompleted when byCommand.TryGetValue(command, out var i):
                    steps[i] = steps[i] with { State = "done", Attempt = e.Attempt ?? steps[i].Attempt, Runs = 1, Progress = null, Error = null };
                    break;
                case HistoryEventType.ActivityTaskFailed or HistoryEventType.ActivityTaskTimedOut when byCommand.TryGetValue(command, out var i):
                    steps[i] = steps[i] with { State = "failed", Attempt = e.Attempt ?? steps[i].Attempt, Runs = 1, Error = e.Failure?.Message };
                    break;
                case HistoryEventType.ActivityTaskCancelRequested when byCommand.TryGetValue(command, out var i) && steps[i].State is "running" or "retrying":
                    // The workflow cancelled the step (a cancel of the run, a timeout of its own): it did not fail.
                    steps[i] = steps[i] with { State = "canceled", Progress = null, Error = "cancelled by the workflow" };
                    break;
            }
        }

        if (run.Status != WorkflowExecutionStatus.Running)
        {
            for (var i = 0; i < steps.Count; i++)
            {
                if (steps[i].State is "running" or "retrying")
                {
                    steps[i] = run.Status == WorkflowExecutionStatus.Canceled
                        ? steps[i] with { State = "canceled", Progress = null, Error = "the run was cancelled" }
                        : steps[i] with { State = "failed", Error = $"the run ended {run.Status}" };
                }
            }
        }

        return steps;
    }
}
