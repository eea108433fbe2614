using System.Runtime.ExceptionServices;
using System.Text.Json;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Workflows.Flow;

/// <summary>Parallel branches and for-each iterations: several chains at once on the workflow's scheduler.</summary>
public sealed partial class FlowInterpreter
{
    private async Task<(string? Next, string? Note)> ParallelAsync(FlowNode node, FlowScope scope)
    {
        var branches = _graph.Port(node.Id, "branch").Select(e => e.Target).ToList();
        var join = branches.Count > 0 ? _graph.JoinOf(branches[0]) : null;
        var failFast = FlowConfig.Bool(node, "failFast") ?? true;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(scope.Token);
        var inner = scope.WithToken(cancel.Token);
        var tasks = branches.Select(b => GuardAsync(RunChainAsync(b, inner, join), failFast ? cancel : null)).ToList();
        await SettleAsync(tasks, $"{node.Id}: branches failed");
        if (join is null)
        {
            return (null, null);
        }

        Nodes.Started(join);
        Nodes.Done(join);
        return (_graph.Target(join, "next"), null);
    }

    private async Task<(string? Next, string? Note)> ForEachAsync(FlowNode node, FlowScope scope)
    {
        var items = Items(node, scope);
        var variable = FlowConfig.Text(node, "variable") ?? "item";
        var parallelism = Math.Max(1, FlowConfig.Number(node, "parallelism") ?? 1);
        var body = _graph.Target(node.Id, "body");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(scope.Token);
        var running = new List<Task>();
        var all = new List<Task>();
        foreach (var (key, value) in items)
        {
            while (running.Count >= parallelism)
            {
                running.Remove(await Task.WhenAny(running));
            }

            if (cancel.IsCancellationRequested)
            {
                break;
            }

            var task = GuardAsync(RunChainAsync(body, scope.ForItem(variable, value, key, cancel.Token), stopAt: null), cancel);
            running.Add(task);
            all.Add(task);
        }

        await SettleAsync(all, $"{node.Id}: iterations failed");
        if (items.Count == 0 && body is not null)
        {
            Nodes.Skip(Chain(body));
        }

        return (_graph.Target(node.Id, "next"), $"{items.Count} item(s)");
    }

    private List<(string Key, JsonElement Value)> Items(FlowNode node, FlowScope scope)
    {
        var value = FlowConfig.Text(node, "value") ?? string.Empty;
        var source = FlowConfig.Text(node, "source");
        if (source is "zone" or "tier")
        {
            var site = _run.Site ?? throw new ApplicationFailureException($"{node.Id}: the run was started without the applied site", InputErrorType, nonRetryable: true);
            var systems = source == "zone" ? site.InZone(value) : site.InTier(value);
            return systems.Select(s => (s.Id, JsonSerializer.SerializeToElement(s.Id))).ToList();
        }

        JsonElement list;
        try
        {
            list = FlowExpression.Parse(value).Evaluate(FlowInputResolver.Resolver(scope, _run));
        }
        catch (FlowExpressionException e)
        {
            throw new ApplicationFailureException($"{node.Id}: {e.Message}", InputErrorType, nonRetryable: true);
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new ApplicationFailureException($"{node.Id}: '{value}' must give a list, got {list.ValueKind}", InputErrorType, nonRetryable: true);
        }

        return list.EnumerateArray().Select((item, i) => (item.ValueKind == JsonValueKind.String ? item.GetString()! : i.ToString(System.Globalization.CultureInfo.InvariantCulture), item.Clone())).ToList();
    }

    // A failing chain cancels its siblings when asked to (fail-fast); their finally chains still run.
    private static async Task GuardAsync(Task chain, CancellationTokenSource? cancelOthers)
    {
        try
        {
            await chain;
        }
        catch (Exception) when (cancelOthers is not null)
        {
            // Synchronous on purpose: the callbacks must run on the workflow's scheduler, now.
#pragma warning disable VSTHRD103 // Cancel synchronously blocks
            cancelOthers.Cancel();
#pragma warning restore VSTHRD103
            throw;
        }
    }

    // Waits for every chain; then rethrows the one real failure, or all of them as one, or the cancellation.
    private static async Task SettleAsync(List<Task> tasks, string what)
    {
        try
        {
            await Task.WhenAll(tasks);
            return;
        }
        catch (Exception)
        {
            // Looked at below, task by task.
        }

        var failures = tasks.Where(t => t.IsFaulted || t.IsCanceled).Select(t => t.Exception?.InnerException ?? new CanceledFailureException("cancelled")).ToList();
        var real = failures.Where(f => !IsCancellation(f)).ToList();
        if (real.Count == 1 || (real.Count == 0 && failures.Count > 0))
        {
            ExceptionDispatchInfo.Throw(real.Count == 1 ? real[0] : failures[0]);
        }

        throw new ApplicationFailureException($"{what}: {string.Join("; ", real.Select(Describe))}", "FlowBranchesFailed", nonRetryable: true);
    }
}
