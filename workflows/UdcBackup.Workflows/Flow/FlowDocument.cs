using System.Text.Json.Serialization;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// A flow definition as stored, exported and run (<c>udc.flow/v1</c>, see
/// docs/design/flow-definition.md): a graph of nodes joined by edges leaving through named ports.
/// Plain data; <see cref="FlowDocumentReader"/> reads it strictly and <see cref="FlowValidator"/>
/// checks its meaning.
/// </summary>
public sealed record FlowDocument(
    string Schema,
    string Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    int Version,
    string State,
    IReadOnlyList<FlowNode> Nodes,
    IReadOnlyList<FlowEdge> Edges)
{
    /// <summary>The only schema this version reads and writes.</summary>
    public const string SchemaV1 = "udc.flow/v1";
}
