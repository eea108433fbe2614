using System.Text.Json;
using System.Text.Json.Serialization;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Reads a flow document strictly: web (camelCase) names, and a field the format does not know is
/// an error instead of being dropped (it would be lost silently at the next save). A document that
/// cannot be read at all yields one <see cref="FlowProblemCodes.Structure"/> problem naming the
/// JSON path; its meaning is checked by <see cref="FlowValidator"/>.
/// </summary>
public static class FlowDocumentReader
{
    /// <summary>The options documents are read and written with.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static (FlowDocument? Document, FlowProblem? Problem) Read(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return (null, new FlowProblem(null, null, FlowProblemCodes.Structure, $"a flow document is a JSON object, got {json.ValueKind}"));
        }

        try
        {
            var document = json.Deserialize<FlowDocument>(Json);
            if (document is null)
            {
                return (null, new FlowProblem(null, null, FlowProblemCodes.Structure, "the flow document is empty"));
            }

            if (document.Nodes is null || document.Edges is null || document.Nodes.Any(n => n is null) || document.Edges.Any(e => e is null))
            {
                return (null, new FlowProblem(null, null, FlowProblemCodes.Structure, "nodes and edges must be arrays of objects"));
            }

            return (document with { Description = document.Description, State = document.State ?? "draft" }, null);
        }
        catch (JsonException e)
        {
            return (null, new FlowProblem(null, e.Path, FlowProblemCodes.Structure, $"not a udc.flow/v1 document: {e.Message}"));
        }
    }

    public static JsonElement Write(FlowDocument document) => JsonSerializer.SerializeToElement(document, Json);
}
