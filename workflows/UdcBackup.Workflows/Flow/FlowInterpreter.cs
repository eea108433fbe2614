using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Walks a published flow graph inside the <c>flow</c> workflow. A chain runs node after node
/// along <c>next</c> edges; containers run their body chains and then continue at their own
/// <c>next</c>. Everything that waits goes through the workflow API (activities by name,
/// durable timers, conditions on signals), and every decision depends only on the run input and
/// earlier results, so replay after a crash walks the same path and the runtime's history check
/// holds. Failures propagate outward to the first enclosing try, whose finally chain runs with
/// no cancellation token (so it also runs after a cancel), then the failure goes on. See
/// docs/design/flow-definition.md for each kind's semantics.
/// </summary>
public sealed partial class FlowInterpreter
{
    /// <summary>Error type of a node whose input or condition cannot be computed (not retried).</summary>
    public const string InputErrorType = "FlowInputInvalid";

    /// <summary>Error type of a rejected (or timed-out) approval without a rejected branch.</summary>
    public const string RejectedErrorType = "FlowApprovalRejected";

    private readonly FlowRunInput _run;
    private readonly FlowGraph _graph;
    private readonly string _runId;
    private readonly List<(bool Approve, FlowApprovalSignal Signal)> _signals = [];
    private readonly JsonObject _results = [];
    private int _activityCalls;

    /// <param name="run">The run's input.</param>
    /// <param name="runId">The workflow id (the default <c>jobId</c>).</param>
    /// <param name="activityCallsBefore">Activities the workflow scheduled before the interpreter started, so node positions count them.</param>
    public FlowInterpreter(FlowRunInput run, string runId, int activityCallsBefore = 0)
    {
        ArgumentNullException.ThrowIfNull(run);
        _run = run;
        _activityCalls = activityCallsBefore;
        _runId = runId;
        _graph = new FlowGraph(run.Definition);
        Nodes = new FlowNodeTracker(run.Definition.Nodes.Select(n => n.Id));
    }

    public FlowNodeTracker Nodes { get; }

    /// <summary>Records an approve or reject signal for the approval node it names.</summary>
    public void Receive(bool approve, FlowApprovalSignal? signal) => _signals.Add((approve, signal ?? new FlowApprovalSignal()));

    /// <summary>Runs the flow; the result is every activity node's output by node id (per item inside for-each).</summary>
    public async Task<JsonElement> RunAsync()
    {
        var start = _graph.Start ?? throw new ApplicationFailureException("the flow has no start node", InputErrorType, nonRetryable: true);
        try
        {
            Nodes.Started(start.Id);
            Nodes.Done(start.Id);
            await RunChainAsync(_graph.Target(start.Id, "next"), FlowScope.Root(Workflow.CancellationToken), stopAt: null);
        }
        finally
        {
            Nodes.SkipRest();
        }

        return JsonSerializer.SerializeToElement(_results);
    }

    private async Task RunChainAsync(string? first, FlowScope scope, string? stopAt)
    {
        var steps = 0;
        for (var id = first; id is not null && id != stopAt; id = await RunNodeAsync(_graph.Nodes[id], scope))
        {
            // Published flows are acyclic; this only guards against a document that bypassed validation.
            if (++steps > _graph.Nodes.Count)
            {
                throw new ApplicationFailureException($"the chain from {first} loops", InputErrorType, nonRetryable: true);
            }
        }
    }

    private async Task<string?> RunNodeAsync(FlowNode node, FlowScope scope)
    {
        if (node.Kind == FlowKinds.Activity)
        {
            await RunActivityAsync(node, scope);
            return _graph.Target(node.Id, "next");
        }

        Nodes.Started(node.Id);
        try
        {
            var (next, note) = node.Kind switch
            {
                FlowKinds.Sequence => await BodyAsync(node, "body", scope),
                FlowKinds.If => await IfAsync(node, scope),
                FlowKinds.ForEach => await ForEachAsync(node, scope),
                FlowKinds.Parallel => await ParallelAsync(node, scope),
                FlowKinds.Try => await TryAsync(node, scope),
                FlowKinds.Wait => await WaitAsync(node, scope),
                FlowKinds.Approval => await ApprovalAsync(node, scope),
                _ => (_graph.Target(node.Id, "next"), null),
            };
            Nodes.Done(node.Id, note: note);
            return next;
        }
        catch (Exception e)
        {
            Nodes.Failed(node.Id, Describe(e));
            throw;
        }
    }

    private async Task RunActivityAsync(FlowNode node, FlowScope scope)
    {
        JsonElement input;
        try
        {
            input = FlowInputResolver.Resolve(node, scope, _run, _runId);
        }
        catch (FlowExpressionException e)
        {
            Nodes.Started(node.Id);
            Nodes.Failed(node.Id, e.Message);
            throw new ApplicationFailureException($"{node.Id}: {e.Message}", InputErrorType, nonRetryable: true);
        }

        if (scope.Token.IsCancellationRequested)
        {
            throw new CanceledFailureException($"{node.Id} not started: the run is being cancelled");
        }

        // The runtime records activities in the order they are scheduled; this position lets the
        // controller find the node's attempt and heartbeat among the pending activities.
        var call = _activityCalls++;
        Nodes.Started(node.Id, call);
        try
        {
            var output = await Workflow.ExecuteActivityAsync<JsonElement?>(node.Activity!, input, FlowActivityOptions.For(node, scope.Token));
            var value = output ?? JsonSerializer.SerializeToElement<object?>(null);
            scope.SetOutput(node.Id, value);
            Record(node.Id, scope, value);
            Nodes.Done(node.Id, call);
        }
        catch (Exception e)
        {
            Nodes.Failed(node.Id, Describe(e), call);
            throw;
        }
    }

    private async Task<(string? Next, string? Note)> BodyAsync(FlowNode node, string port, FlowScope scope)
    {
        await RunChainAsync(_graph.Target(node.Id, port), scope, stopAt: null);
        return (_graph.Target(node.Id, "next"), null);
    }

    private async Task<(string? Next, string? Note)> IfAsync(FlowNode node, FlowScope scope)
    {
        bool condition;
        try
        {
            condition = FlowExpression.Parse(FlowConfig.Text(node, "condition") ?? string.Empty).IsTrue(FlowInputResolver.Resolver(scope, _run));
        }
        catch (FlowExpressionException e)
        {
            throw new ApplicationFailureException($"{node.Id}: {e.Message}", InputErrorType, nonRetryable: true);
        }

        var taken = condition ? "then" : "else";
        var other = _graph.Target(node.Id, condition ? "else" : "then");
        if (other is not null)
        {
            Nodes.Skip(Chain(other).Except(Chain(_graph.Target(node.Id, taken))).Except(Chain(_graph.Target(node.Id, "next"))));
        }

        await RunChainAsync(_graph.Target(node.Id, taken), scope, stopAt: null);
        return (_graph.Target(node.Id, "next"), taken);
    }

    private async Task<(string? Next, string? Note)> TryAsync(FlowNode node, FlowScope scope)
    {
        Exception? failure = null;
        try
        {
            await RunChainAsync(_graph.Target(node.Id, "body"), scope, stopAt: null);
        }
        catch (Exception e)
        {
            failure = e;
        }

        try
        {
            // The cleanup runs whatever happened, also after a cancel request: no token.
            await RunChainAsync(_graph.Target(node.Id, "finally"), scope.WithToken(CancellationToken.None), stopAt: null);
        }
        catch (Exception) when (failure is not null)
        {
            // The cleanup's own failure is on its node; the body's failure is what the run reports.
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return (_graph.Target(node.Id, "next"), null);
    }

    private async Task<(string? Next, string? Note)> WaitAsync(FlowNode node, FlowScope scope)
    {
        var duration = FlowConfig.Duration(FlowConfig.Text(node, "duration"))
            ?? throw new ApplicationFailureException($"{node.Id}: duration is not [d.]hh:mm:ss", InputErrorType, nonRetryable: true);
        await Workflow.DelayAsync(duration, scope.Token);
        return (_graph.Target(node.Id, "next"), null);
    }

    private async Task<(string? Next, string? Note)> ApprovalAsync(FlowNode node, FlowScope scope)
    {
        var name = FlowConfig.Text(node, "signal") is { Length: > 0 } s ? s : "approve";
        var timeout = FlowConfig.Duration(FlowConfig.Text(node, "timeout"));
        int Match() => _signals.FindIndex(x => x.Signal.Node == node.Id || (x.Signal.Node is null && (x.Signal.Signal ?? "approve") == name));
        var answered = await Workflow.WaitConditionAsync(() => Match() >= 0, timeout is { Ticks: > 0 } t ? t : null, scope.Token);
        string note;
        if (answered)
        {
            var index = Match();
            var (approve, signal) = _signals[index];
            _signals.RemoveAt(index);
            note = $"{(approve ? "approved" : "rejected")}{(signal.By is null ? string.Empty : " by " + signal.By)}{(signal.Note is null ? string.Empty : ": " + signal.Note)}";
            if (approve)
            {
                return (_graph.Target(node.Id, "next"), note);
            }
        }
        else
        {
            note = $"no answer within {timeout}";
        }

        var rejected = _graph.Target(node.Id, "rejected");
        if (rejected is null)
        {
            throw new ApplicationFailureException($"{node.Id}: {note}", RejectedErrorType, nonRetryable: true);
        }

        Nodes.Skip(Chain(_graph.Target(node.Id, "next")).Except(Chain(rejected)));
        return (rejected, note);
    }

    private void Record(string nodeId, FlowScope scope, JsonElement value)
    {
        var node = JsonNode.Parse(value.GetRawText());
        if (scope.Iteration is null)
        {
            _results[nodeId] = node;
            return;
        }

        if (_results[nodeId] is not JsonObject perItem)
        {
            _results[nodeId] = perItem = [];
        }

        perItem[scope.Iteration] = node;
    }

    // Every node reachable from a chain's first node (its bodies included).
    private HashSet<string> Chain(string? first)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        if (first is not null)
        {
            stack.Push(first);
        }

        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (seen.Add(id))
            {
                foreach (var e in _graph.Outgoing(id))
                {
                    stack.Push(e.Target);
                }
            }
        }

        return seen;
    }

    private static string Describe(Exception e) => e switch
    {
        ActivityFailureException { InnerException: { } inner } => inner.Message,
        _ => e.Message,
    };

    private static bool IsCancellation(Exception e) => e is CanceledFailureException || e.InnerException is CanceledFailureException;
}
