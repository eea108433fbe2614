using System.Text.Json;
using System.Text.Json.Serialization;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// One node: an activity node (<see cref="Activity"/>, <see cref="Input"/>, optional
/// <see cref="Options"/>) or a control node (<see cref="Config"/>). <see cref="Position"/> and
/// <see cref="Label"/> are for display only.
/// </summary>
public sealed record FlowNode(
    string Id,
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Label,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FlowPosition? Position,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Activity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, JsonElement>? Input,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, JsonElement>? Config,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FlowNodeOptions? Options);
