namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Lookups over a flow document: nodes by id, outgoing edges by port, incoming edges, graph
/// ancestors. Built once per document; tolerant of broken documents (dangling edges are kept
/// out of the indexes) so the validator can report everything in one pass.
/// </summary>
public sealed class FlowGraph
{
    private readonly Dictionary<string, List<FlowEdge>> _out = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<FlowEdge>> _in = new(StringComparer.Ordinal);

    public FlowGraph(FlowDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        Document = document;
        foreach (var node in document.Nodes)
        {
            Nodes.TryAdd(node.Id ?? string.Empty, node);
        }

        foreach (var edge in document.Edges)
        {
            if (edge.Source is null || edge.Target is null || !Nodes.ContainsKey(edge.Source) || !Nodes.ContainsKey(edge.Target))
            {
                continue;
            }

            Add(_out, edge.Source, edge);
            Add(_in, edge.Target, edge);
        }
    }

    public FlowDocument Document { get; }

    public Dictionary<string, FlowNode> Nodes { get; } = new(StringComparer.Ordinal);

    public FlowNode? Start => Document.Nodes.FirstOrDefault(n => n.Kind == FlowKinds.Start);

    public IReadOnlyList<FlowEdge> Outgoing(string nodeId) => _out.GetValueOrDefault(nodeId) ?? [];

    public IReadOnlyList<FlowEdge> Incoming(string nodeId) => _in.GetValueOrDefault(nodeId) ?? [];

    public IReadOnlyList<FlowEdge> Port(string nodeId, string port) => Outgoing(nodeId).Where(e => e.Port == port).ToList();

    /// <summary>The first node of a port's chain, or null when the port has no edge.</summary>
    public string? Target(string nodeId, string port) => Outgoing(nodeId).FirstOrDefault(e => e.Port == port)?.Target;

    /// <summary>Every node with a path to <paramref name="nodeId"/> (over all edges).</summary>
    public HashSet<string> Ancestors(string nodeId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(Incoming(nodeId).Select(e => e.Source));
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (seen.Add(id))
            {
                foreach (var e in Incoming(id))
                {
                    stack.Push(e.Source);
                }
            }
        }

        return seen;
    }

    /// <summary>The join a branch starting at <paramref name="first"/> ends at (following <c>next</c>), or null.</summary>
    public string? JoinOf(string first)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var id = first; id is not null && seen.Add(id); id = Target(id, "next"))
        {
            if (Nodes.TryGetValue(id, out var node) && node.Kind == FlowKinds.Join)
            {
                return id;
            }
        }

        return null;
    }

    private static void Add(Dictionary<string, List<FlowEdge>> index, string key, FlowEdge edge)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(edge);
    }
}
