using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Systems;

/// <summary>
/// A script to run on a system through its disk agent (input of <c>system.run-script</c>,
/// <c>system.stop-programs</c> and <c>system.start-programs</c>). The agent resolves the name
/// inside its own allowed script folder; nothing here is a shell command line.
/// </summary>
public sealed record ScriptCallInput(
    [property: ActivityInput(ActivityInputKind.String, "Job on whose behalf the script runs (agent audit log)", Required = true)] string JobId,
    [property: ActivityInput(ActivityInputKind.System, "System that runs the script", Required = true, UiHint = "system-picker")] string SystemId,
    [property: ActivityInput(ActivityInputKind.String, "Disk agent endpoint host:port", Required = true, Pattern = @"\S+:[0-9]{1,5}")] string AgentEndpoint,
    [property: ActivityInput(ActivityInputKind.Script, "Script name in the agent's script folder", Required = true, UiHint = "script-picker")] string Script,
    [property: ActivityInput(ActivityInputKind.Json, "Arguments", Default = "[]")] IReadOnlyList<string> Arguments,
    [property: ActivityInput(ActivityInputKind.Json, "Environment (names with the allowed prefixes, UDC_ and PG by default)", Default = "{}")] IReadOnlyDictionary<string, string> Environment,
    [property: ActivityInput(ActivityInputKind.Int, "Longest run in seconds before the agent kills it", Minimum = 1, Maximum = 86400, Default = "600")] int TimeoutSeconds = 600);
