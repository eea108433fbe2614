using System.Text.Json;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Workflows.Tests.Flow;

/// <summary>Small helpers to write flow documents in tests: steps, control nodes and edges "a>b", "try:body>a".</summary>
public static class FlowBuilder
{
    public static FlowNode Step(string id, object? value = null, FlowNodeOptions? options = null)
    {
        var input = new Dictionary<string, JsonElement> { ["name"] = JsonSerializer.SerializeToElement(id) };
        if (value is not null)
        {
            input["value"] = JsonSerializer.SerializeToElement(value);
        }

        return new FlowNode(id, FlowKinds.Activity, id, null, "test.step", input, null, options);
    }

    /// <summary>A step whose name is an expression (e.g. <c>vars.system</c>).</summary>
    public static FlowNode StepNamed(string id, string nameExpression) =>
        new(id, FlowKinds.Activity, id, null, "test.step", new Dictionary<string, JsonElement> { ["name"] = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["$expr"] = nameExpression }) }, null, null);

    public static FlowNode Control(string id, string kind, object? config = null) =>
        new(id, kind, id, null, null, null, config is null ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(config)), null);

    /// <summary>Edges written "source>target" (port next) or "source:port>target".</summary>
    public static FlowDocument Build(string id, IEnumerable<FlowNode> nodes, params string[] edges)
    {
        var list = new List<FlowNode> { new("start", FlowKinds.Start, "Start", null, null, null, null, null) };
        list.AddRange(nodes);
        var parsed = edges.Select((e, i) =>
        {
            var (from, to) = (e.Split('>')[0], e.Split('>')[1]);
            var port = from.Contains(':', StringComparison.Ordinal) ? from.Split(':')[1] : "next";
            return new FlowEdge($"e{i}", from.Split(':')[0], port, to);
        }).ToList();
        return new FlowDocument(FlowDocument.SchemaV1, id, id, null, 1, "published", list, parsed);
    }
}
