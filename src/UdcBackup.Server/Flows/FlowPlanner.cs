using System.Text.Json;
using System.Text.RegularExpressions;
using UdcBackup.Activities.Metadata;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Flows;

/// <summary>
/// The plan preview of a flow version: the steps a run takes, in the order the interpreter walks
/// them, with each activity's summary filled from its inputs, the system, script and firewall
/// port it touches. For-each bodies are listed once per system of the zone or tier in the applied
/// site (the same list the run gets); both sides of an if are listed, marked with their
/// condition; parallel branches and cleanups are marked as such. Inputs that only a run can
/// know (outputs of earlier nodes) are shown as their expression.
/// </summary>
public sealed partial class FlowPlanner
{
    private readonly FlowGraph _graph;
    private readonly FlowSite? _site;
    private readonly ActivityCatalog _catalog;
    private readonly JsonElement? _inputs;
    private readonly List<FlowPlanStep> _steps = [];

    private FlowPlanner(FlowDocument flow, FlowSite? site, ActivityCatalog catalog, JsonElement? inputs)
    {
        _graph = new FlowGraph(flow);
        _site = site;
        _catalog = catalog;
        _inputs = inputs;
    }

    public static IReadOnlyList<FlowPlanStep> Plan(FlowDocument flow, FlowSite? site, ActivityCatalog catalog, JsonElement? inputs)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(catalog);
        var planner = new FlowPlanner(flow, site, catalog, inputs);
        if (planner._graph.Start is { } start)
        {
            planner.Chain(planner._graph.Target(start.Id, "next"), null, new Dictionary<string, string>(StringComparer.Ordinal), string.Empty);
        }

        return planner._steps;
    }

    private void Chain(string? first, string? stopAt, Dictionary<string, string> vars, string prefix)
    {
        var guard = 0;
        for (var id = first; id is not null && id != stopAt && guard++ <= _graph.Nodes.Count;)
        {
            var node = _graph.Nodes[id];
            id = _graph.Target(node.Id, "next");
            switch (node.Kind)
            {
                case FlowKinds.Activity:
                    Activity(node, vars, prefix);
                    break;
                case FlowKinds.Sequence:
                    Add(node, prefix + $"group {node.Label ?? node.Id}");
                    Chain(_graph.Target(node.Id, "body"), null, vars, prefix);
                    break;
                case FlowKinds.If:
                    var condition = FlowConfig.Text(node, "condition");
                    Add(node, prefix + $"decide: {condition}");
                    Chain(_graph.Target(node.Id, "then"), null, vars, prefix + $"when {condition}: ");
                    Chain(_graph.Target(node.Id, "else"), null, vars, prefix + $"unless {condition}: ");
                    break;
                case FlowKinds.ForEach:
                    ForEach(node, vars, prefix);
                    break;
                case FlowKinds.Parallel:
                    var branches = _graph.Port(node.Id, "branch").Select(e => e.Target).ToList();
                    var join = branches.Count > 0 ? _graph.JoinOf(branches[0]) : null;
                    Add(node, prefix + $"start {branches.Count} branches at once");
                    for (var b = 0; b < branches.Count; b++)
                    {
                        Chain(branches[b], join, vars, prefix + $"branch {b + 1}: ");
                    }

                    if (join is not null)
                    {
                        Add(_graph.Nodes[join], prefix + "wait for every branch");
                        id = _graph.Target(join, "next");
                    }

                    break;
                case FlowKinds.Try:
                    Add(node, prefix + "begin (the cleanup below always runs)");
                    Chain(_graph.Target(node.Id, "body"), null, vars, prefix);
                    Chain(_graph.Target(node.Id, "finally"), null, vars, prefix + "cleanup, always: ");
                    break;
                case FlowKinds.Wait:
                    Add(node, prefix + $"wait {FlowConfig.Text(node, "duration")}");
                    break;
                case FlowKinds.Approval:
                    var timeout = FlowConfig.Text(node, "timeout");
                    Add(node, prefix + $"wait for approval '{FlowConfig.Text(node, "signal") ?? "approve"}'{(string.IsNullOrEmpty(timeout) ? string.Empty : $" (at most {timeout})")}{(FlowConfig.Text(node, "prompt") is { Length: > 0 } p ? ": " + p : string.Empty)}");
                    Chain(_graph.Target(node.Id, "rejected"), null, vars, prefix + "if rejected: ");
                    break;
                default:
                    break;
            }
        }
    }

    private void ForEach(FlowNode node, Dictionary<string, string> vars, string prefix)
    {
        var source = FlowConfig.Text(node, "source");
        var value = FlowConfig.Text(node, "value") ?? string.Empty;
        var variable = FlowConfig.Text(node, "variable") ?? "item";
        var body = _graph.Target(node.Id, "body");
        if (source is "zone" or "tier")
        {
            var systems = _site is null ? [] : source == "zone" ? _site.InZone(value) : _site.InTier(value);
            var parallelism = FlowConfig.Number(node, "parallelism") ?? 1;
            Add(node, prefix + $"for each system of {source} {value} ({(systems.Count == 0 ? "none in the applied site" : string.Join(", ", systems.Select(s => s.Id)))}), {parallelism} at a time");
            foreach (var system in systems)
            {
                Chain(body, null, new Dictionary<string, string>(vars, StringComparer.Ordinal) { [variable] = system.Id }, prefix + $"[{system.Id}] ");
            }

            return;
        }

        Add(node, prefix + $"for each item of {value}");
        Chain(body, null, vars, prefix + "[each item] ");
    }

    private void Activity(FlowNode node, Dictionary<string, string> vars, string prefix)
    {
        var descriptor = _catalog.Find(node.Activity ?? string.Empty);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in node.Input ?? new Dictionary<string, JsonElement>())
        {
            values[name] = Show(value, vars);
        }

        var summary = descriptor is null
            ? $"{node.Activity} (unknown activity)"
            : Placeholder().Replace(descriptor.Summary, m => values.GetValueOrDefault(m.Groups[1].Value) ?? (m.Groups[1].Value == "jobId" ? "this run" : $"{{{m.Groups[1].Value}}}"));
        var system = values.GetValueOrDefault("systemId") ?? values.GetValueOrDefault("targetSystemId");
        var port = Port(node, descriptor, vars);
        _steps.Add(new FlowPlanStep(_steps.Count + 1, node.Id, node.Kind, node.Activity, prefix + summary, system, values.GetValueOrDefault("script"), port));
    }

    private int? Port(FlowNode node, ActivityDescriptor? descriptor, Dictionary<string, string> vars)
    {
        if (descriptor?.Inputs.FirstOrDefault(i => i.Kind == ActivityInputKind.Port) is { } portInput && node.Input?.GetValueOrDefault(portInput.Name) is { ValueKind: JsonValueKind.Number } number)
        {
            return number.GetInt32();
        }

        if (node.Input?.GetValueOrDefault("windows") is { ValueKind: JsonValueKind.Array } windows)
        {
            foreach (var window in windows.EnumerateArray().Where(w => w.ValueKind == JsonValueKind.Object && w.TryGetProperty("firewall", out _)))
            {
                var firewall = window.GetProperty("firewall");
                if (firewall.ValueKind == JsonValueKind.String && _site?.FindFirewall(firewall.GetString()) is { } target)
                {
                    return target.DesignatedPort;
                }

                if (firewall.ValueKind == JsonValueKind.Object && firewall.TryGetProperty("designatedPort", out var designated) && designated.TryGetInt32(out var p))
                {
                    return p;
                }
            }
        }

        return null;
    }

    // A literal as text; an expression with what is known before the run (for-each items, the
    // given inputs, site fields of an item) filled in, else its text.
    private string Show(JsonElement value, Dictionary<string, string> vars)
    {
        if (!FlowInputs.IsExpression(value, out var text))
        {
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }

        try
        {
            var expression = FlowExpression.Parse(text);
            var scope = FlowScope.Root(CancellationToken.None);
            foreach (var (name, item) in vars)
            {
                scope = scope.ForItem(name, JsonSerializer.SerializeToElement(item), item, CancellationToken.None);
            }

            var run = new FlowRunInput(string.Empty, 0, _graph.Document, _inputs, _site);
            var result = expression.Evaluate(FlowInputResolver.Resolver(scope, run));
            return result.ValueKind == JsonValueKind.String ? result.GetString()! : result.GetRawText();
        }
        catch (FlowExpressionException)
        {
            return $"<{text}>";
        }
    }

    private void Add(FlowNode node, string summary) => _steps.Add(new FlowPlanStep(_steps.Count + 1, node.Id, node.Kind, null, summary, null, null, null));

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
