using System.Text.Json;
using System.Text.RegularExpressions;
using UdcBackup.Activities.Metadata;
using UdcBackup.ScriptContract;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// The authority on whether a flow may be published (the designer's validate.ts is a convenience
/// copy). Checks, in one pass that reports every problem with its node id and field: schema and
/// ids; edges whose ends exist; one start without incoming edges; every node reachable, no cycle;
/// ports as each kind has them; activities known in the catalogue with inputs of the declared
/// kinds (required ones given, none undeclared); container bodies, a try's finally, parallel
/// branches meeting at one join, config values; expressions that parse and name earlier nodes,
/// declared outputs and enclosing for-each variables; a script's environment (the disk agents'
/// rule, as for site files). Never throws for a bad document.
/// </summary>
public static partial class FlowValidator
{
    /// <summary>Reads and validates a JSON document; a document that cannot be read is one structure problem.</summary>
    /// <param name="json">The flow document.</param>
    /// <param name="catalog">The activities a node may use.</param>
    /// <param name="environment">The disk agents' script environment rule; null for the default one.</param>
    public static (FlowDocument? Document, IReadOnlyList<FlowProblem> Problems) Validate(JsonElement json, ActivityCatalog catalog, ScriptEnvironmentRule? environment = null)
    {
        var (document, problem) = FlowDocumentReader.Read(json);
        return document is null ? (null, [problem!]) : (document, Validate(document, catalog, environment));
    }

    /// <param name="document">The flow document.</param>
    /// <param name="catalog">The activities a node may use.</param>
    /// <param name="environment">The disk agents' script environment rule; null for the default one.</param>
    public static IReadOnlyList<FlowProblem> Validate(FlowDocument document, ActivityCatalog catalog, ScriptEnvironmentRule? environment = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(catalog);
        var p = new List<FlowProblem>();
        CheckDocument(document, p);
        var graph = new FlowGraph(document);
        CheckEdges(document, graph, p);
        CheckShape(graph, p);
        foreach (var node in document.Nodes.Where(n => FlowKinds.IsKnown(n.Kind)))
        {
            CheckPorts(graph, node, p);
            if (node.Kind == FlowKinds.Activity)
            {
                CheckActivity(node, catalog, environment ?? ScriptEnvironmentRule.Default, p);
            }
            else
            {
                CheckControl(graph, node, p);
            }

            CheckExpressions(graph, node, catalog, p);
        }

        return p;
    }

    private static void CheckDocument(FlowDocument d, List<FlowProblem> p)
    {
        if (d.Schema != FlowDocument.SchemaV1)
        {
            p.Add(new(null, "schema", FlowProblemCodes.Schema, $"schema must be \"{FlowDocument.SchemaV1}\", got \"{d.Schema}\""));
        }

        if (d.Id is null || !FlowIdPattern().IsMatch(d.Id))
        {
            p.Add(new(null, "id", FlowProblemCodes.BadId, $"flow id \"{d.Id}\" must be 1-63 characters a-z 0-9 -, starting with a letter or digit"));
        }

        if (string.IsNullOrWhiteSpace(d.Name) || d.Name.Length > 200)
        {
            p.Add(new(null, "name", FlowProblemCodes.BadConfig, "name must be 1 to 200 characters"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in d.Nodes)
        {
            if (node.Id is null || !NodeIdPattern().IsMatch(node.Id))
            {
                p.Add(new(node.Id, null, FlowProblemCodes.BadId, $"node id \"{node.Id}\" must be 1-64 characters A-Z a-z 0-9 _ -"));
            }
            else if (!seen.Add(node.Id))
            {
                p.Add(new(node.Id, null, FlowProblemCodes.DuplicateId, $"node id \"{node.Id}\" is used twice"));
            }

            if (!FlowKinds.IsKnown(node.Kind))
            {
                p.Add(new(node.Id, null, FlowProblemCodes.UnknownKind, $"unknown node kind \"{node.Kind}\""));
            }
            else if (node.Kind == FlowKinds.Activity ? node.Config is not null : node.Activity is not null || node.Input is not null || node.Options is not null)
            {
                p.Add(new(node.Id, null, FlowProblemCodes.BadConfig, node.Kind == FlowKinds.Activity
                    ? "an activity node has activity and input, not config"
                    : $"a {node.Kind} node has config, not activity, input or options"));
            }
        }
    }

    private static void CheckEdges(FlowDocument d, FlowGraph graph, List<FlowProblem> p)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var edge in d.Edges)
        {
            if (string.IsNullOrEmpty(edge.Id) || !ids.Add(edge.Id))
            {
                p.Add(new(edge.Source, null, FlowProblemCodes.DuplicateId, $"edge id \"{edge.Id}\" is empty or used twice"));
            }

            var hasSource = edge.Source is not null && graph.Nodes.ContainsKey(edge.Source);
            var hasTarget = edge.Target is not null && graph.Nodes.ContainsKey(edge.Target);
            if (!hasSource || !hasTarget)
            {
                var missing = !hasSource ? $"source \"{edge.Source}\"" : $"target \"{edge.Target}\"";
                p.Add(new(hasSource ? edge.Source : hasTarget ? edge.Target : null, edge.Port, FlowProblemCodes.DanglingEdge, $"edge {edge.Id} has {missing}, which is not a node"));
            }
        }
    }

    private static void CheckShape(FlowGraph graph, List<FlowProblem> p)
    {
        var starts = graph.Document.Nodes.Where(n => n.Kind == FlowKinds.Start).ToList();
        if (starts.Count != 1)
        {
            p.Add(new(starts.Count > 1 ? starts[1].Id : null, null, FlowProblemCodes.Start, $"a flow has exactly one start node, this one has {starts.Count}"));
        }

        foreach (var start in starts)
        {
            if (graph.Incoming(start.Id).Count > 0)
            {
                p.Add(new(start.Id, null, FlowProblemCodes.Start, "start cannot have incoming edges"));
            }

            if (graph.Target(start.Id, "next") is null)
            {
                p.Add(new(start.Id, "next", FlowProblemCodes.Start, "start must lead to the first step"));
            }
        }

        var reached = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(starts.Select(s => s.Id));
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (reached.Add(id))
            {
                foreach (var e in graph.Outgoing(id))
                {
                    stack.Push(e.Target);
                }
            }
        }

        foreach (var node in graph.Nodes.Values.Where(n => !reached.Contains(n.Id)))
        {
            p.Add(new(node.Id, null, FlowProblemCodes.UnreachableNode, "is not reachable from start"));
        }

        foreach (var id in Cycles(graph))
        {
            p.Add(new(id, null, FlowProblemCodes.Cycle, "is part of a cycle; flows loop only with for-each"));
        }
    }

    // Depth-first search with colours; every node on a back edge's path is in a cycle.
    private static SortedSet<string> Cycles(FlowGraph graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var inCycle = new SortedSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        void Visit(string id)
        {
            state[id] = 1;
            path.Add(id);
            foreach (var e in graph.Outgoing(id))
            {
                var s = state.GetValueOrDefault(e.Target);
                if (s == 1)
                {
                    inCycle.UnionWith(path.Skip(path.IndexOf(e.Target)));
                }
                else if (s == 0)
                {
                    Visit(e.Target);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[id] = 2;
        }

        foreach (var id in graph.Nodes.Keys.Where(id => !state.ContainsKey(id)).ToList())
        {
            Visit(id);
        }

        return inCycle;
    }

    private static void CheckPorts(FlowGraph graph, FlowNode node, List<FlowProblem> p)
    {
        var ports = FlowKinds.PortsOf(node.Kind);
        foreach (var group in graph.Outgoing(node.Id).GroupBy(e => e.Port))
        {
            if (!ports.Contains(group.Key))
            {
                p.Add(new(node.Id, group.Key, FlowProblemCodes.BadPort, $"has an edge from port \"{group.Key}\", which {node.Kind} nodes do not have (ports: {string.Join(", ", ports)})"));
            }
            else if (group.Count() > 1 && !FlowKinds.IsMultiPort(node.Kind, group.Key))
            {
                p.Add(new(node.Id, group.Key, FlowProblemCodes.BadPort, $"port \"{group.Key}\" has {group.Count()} edges; use a parallel node to branch"));
            }
        }
    }

    private static void CheckActivity(FlowNode node, ActivityCatalog catalog, ScriptEnvironmentRule environment, List<FlowProblem> p)
    {
        var descriptor = node.Activity is null ? null : catalog.Find(node.Activity);
        if (descriptor is null)
        {
            var known = string.Join(", ", catalog.Activities.Select(a => a.Name));
            p.Add(new(node.Id, null, FlowProblemCodes.UnknownActivity, $"unknown activity \"{node.Activity}\"; known: {known}"));
            return;
        }

        var given = node.Input ?? new Dictionary<string, JsonElement>();
        foreach (var input in descriptor.Inputs)
        {
            var present = given.TryGetValue(input.Name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
                && !(value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0);
            if (!present)
            {
                if (input.Required && !FlowSiteInputs.IsDerived(input.Name, given))
                {
                    p.Add(new(node.Id, input.Name, FlowProblemCodes.MissingInput, $"{input.Name} is required ({input.Description})"));
                }

                continue;
            }

            if (FlowInputs.IsExpression(value, out _))
            {
                continue;
            }

            var literal = JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement> { [input.Name] = value });
            foreach (var error in ActivityInputValidator.Validate([input], literal))
            {
                p.Add(new(node.Id, input.Name, FlowProblemCodes.WrongType, $"{input.Name} {error.Message}"));
            }

            if (IsEnvironment(input))
            {
                CheckEnvironment(node, value, environment, p);
            }
        }

        foreach (var name in given.Keys.Where(k => descriptor.Inputs.All(i => i.Name != k)))
        {
            p.Add(new(node.Id, name, FlowProblemCodes.UnknownInput, $"{name} is not an input of {descriptor.Name} (inputs: {string.Join(", ", descriptor.Inputs.Select(i => i.Name))})"));
        }

        if (node.Options is { } options)
        {
            CheckDuration(node, "options.timeout", options.Timeout, p);
            CheckDuration(node, "options.retryInterval", options.RetryInterval, p);
            CheckDuration(node, "options.heartbeatTimeout", options.HeartbeatTimeout, p);
            if (options.MaxAttempts is < 1 or > 100)
            {
                p.Add(new(node.Id, "options.maxAttempts", FlowProblemCodes.BadConfig, "maxAttempts must be between 1 and 100"));
            }
        }
    }

    private static void CheckDuration(FlowNode node, string field, string? text, List<FlowProblem> p)
    {
        if (text is not null && FlowConfig.Duration(text) is not { Ticks: > 0 })
        {
            p.Add(new(node.Id, field, FlowProblemCodes.WrongType, $"{field} must be a positive duration written [d.]hh:mm:ss, got \"{text}\""));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex FlowIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NodeIdPattern();
}
