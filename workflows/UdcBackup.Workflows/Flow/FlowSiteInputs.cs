using System.Text.Json;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Inputs the interpreter fills from the run and the applied site when a node leaves them empty,
/// so a flow author names a system instead of copying its endpoint: <c>jobId</c> (the run's
/// workflow id), <c>agentEndpoint</c> (of the node's <c>systemId</c>), <c>mediaEndpoint</c> (of
/// its <c>mediaAgentId</c>). The validator does not report these as missing.
/// </summary>
public static class FlowSiteInputs
{
    public static bool IsDerived(string input, IReadOnlyDictionary<string, JsonElement>? given) => input switch
    {
        "jobId" => true,
        "agentEndpoint" => Given(given, "systemId"),
        "mediaEndpoint" => Given(given, "mediaAgentId"),
        _ => false,
    };

    private static bool Given(IReadOnlyDictionary<string, JsonElement>? inputs, string name) =>
        inputs is not null && inputs.TryGetValue(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
        && !(value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0);
}
