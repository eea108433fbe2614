using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Workflows.Flow;
using UdcBackup.Workflows.Plan;

namespace UdcBackup.Server.Web;

/// <summary>
/// Per-node states of a run for the live graph. A <c>flow</c> run answers its <c>nodes</c> query;
/// the attempt, retry state, last failure and heartbeat progress of its running activities come
/// from the runtime's pending activities (retries are not history events), found through each
/// node's position among the run's scheduled activities. Any other workflow gets one step per
/// scheduled activity, derived from the history: id <c>{activity}-{n}</c> (n counts that
/// activity's calls from 1), done/failed from its outcome event, running or retrying while
/// pending (running again after an attempt cut by a controller stop, which is no failure); a step still open when the run closed is failed with the run's ending.
/// A <c>backup.job</c> or <c>restore</c> run lists its whole plan (<see cref="RunPlanSteps"/>) from
/// the start: each scheduled activity takes the next planned step of its activity and system, the
/// planned steps it passed were skipped by the workflow (a failed system's later steps), the
/// steps not reached yet are waiting, and skipped once the run has closed; an activity the plan
/// does not list keeps its own step where it ran.
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

        var steps = FromHistory(run, pending, interrupted);
        var plan = RunPlanSteps.Of(run.WorkflowType, run.Input);
        return plan is null ? steps.Select(s => s.State).ToList() : AlongPlan(steps, plan, run.Status != WorkflowExecutionStatus.Running);
    }

    private static List<FlowNodeState> AlongPlan(List<HistoryStep> steps, IReadOnlyList<RunPlanStep> plan, bool closed)
    {
        var nodes = new List<FlowNodeState>();
        var next = 0;
        foreach (var step in steps)
        {
            var match = next;
            while (match < plan.Count && !(plan[match].ActivityType == step.ActivityType && (plan[match].SystemId is null || step.SystemId is null || plan[match].SystemId == step.SystemId)))
            {
                match++;
            }

            if (match == plan.Count)
            {
                nodes.Add(step.State);
                continue;
            }

            for (; next < match; next++)
            {
                nodes.Add(NotRun(plan[next], "skipped"));
            }

            nodes.Add(step.State with { NodeId = plan[match].NodeId });
            next = match + 1;
        }

        for (; next < plan.Count; next++)
        {
            nodes.Add(NotRun(plan[next], closed ? "skipped" : "waiting"));
        }

        return nodes;
    }

    private static FlowNodeState NotRun(RunPlanStep step, string state) => new(step.NodeId, state, 0, null, null, 0, []);

    // The system an activity call names: its input's systemId (targetSystemId for a restore's stream and check).
    private static string? SystemOf(JsonElement? input)
    {
        if (input is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        foreach (var property in value.EnumerateObject())
        {
            if ((property.NameEquals("systemId") || property.NameEquals("targetSystemId")) && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }

        return null;
    }

    /// <summary>One scheduled activity of a run, with what it called for whom.</summary>
    private sealed record HistoryStep(FlowNodeState State, string ActivityType, string? SystemId);

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

    private static List<HistoryStep> FromHistory(WorkflowExecutionDescription run, Dictionary<int, PendingActivityInfo> pending, HashSet<(int Command, int Attempt)> interrupted)
    {
        var steps = new List<FlowNodeState>();
        var calls = new List<(string Type, string? System)>();
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
                    calls.Add((type, SystemOf(e.Input)));
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

        return steps.Select((s, i) => new HistoryStep(s, calls[i].Type, calls[i].System)).ToList();
    }
}
