using System.Text.Json.Serialization;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// One problem of a flow: the node it is about (null for the whole flow), the input or config
/// field when there is one, a stable <see cref="Code"/> (see <see cref="FlowProblemCodes"/>) and
/// what to change.
/// </summary>
public sealed record FlowProblem(
    [property: JsonPropertyName("nodeId")] string? NodeId,
    [property: JsonPropertyName("input")] string? Input,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message)
{
    public override string ToString() => NodeId is null ? $"{Code}: {Message}" : $"{NodeId}{(Input is null ? string.Empty : "." + Input)} ({Code}): {Message}";
}
