using System.Text.Json.Nodes;

namespace UdcBackup.Server.Tests.Flows;

/// <summary>Flow documents for the API tests, as JSON the designer would send.</summary>
public static class FlowDocuments
{
    /// <summary>start → try { run-script on db-1 } finally { close-job-windows } → wait 1 s.</summary>
    public static JsonObject Valid(string id) => new()
    {
        ["schema"] = "udc.flow/v1",
        ["id"] = id,
        ["name"] = $"Flow {id}",
        ["version"] = 0,
        ["state"] = "draft",
        ["nodes"] = new JsonArray(
            Node("start", "start"),
            Node("try-1", "try"),
            Activity("check-1", "system.run-script", new JsonObject { ["systemId"] = "db-1", ["agentEndpoint"] = "db-1:7443", ["script"] = "check.sh" }),
            Activity("close-1", "firewall.close-job-windows", new JsonObject { ["firewalls"] = new JsonArray("fw-1") }),
            Node("wait-1", "wait", new JsonObject { ["duration"] = "00:00:01" })),
        ["edges"] = new JsonArray(
            Edge("e1", "start", "next", "try-1"),
            Edge("e2", "try-1", "body", "check-1"),
            Edge("e3", "try-1", "finally", "close-1"),
            Edge("e4", "try-1", "next", "wait-1")),
    };

    /// <summary>start → wait (runs without any agent).</summary>
    public static JsonObject WaitOnly(string id) => new()
    {
        ["schema"] = "udc.flow/v1",
        ["id"] = id,
        ["name"] = $"Flow {id}",
        ["version"] = 0,
        ["state"] = "draft",
        ["nodes"] = new JsonArray(Node("start", "start"), Node("pause-1", "wait", new JsonObject { ["duration"] = "00:00:00.200" })),
        ["edges"] = new JsonArray(Edge("e1", "start", "next", "pause-1")),
    };

    public static JsonObject Node(string id, string kind, JsonObject? config = null)
    {
        var node = new JsonObject { ["id"] = id, ["kind"] = kind, ["label"] = id, ["position"] = new JsonObject { ["x"] = 0, ["y"] = 0 } };
        if (config is not null)
        {
            node["config"] = config;
        }

        return node;
    }

    public static JsonObject Activity(string id, string activity, JsonObject input) => new()
    {
        ["id"] = id,
        ["kind"] = "activity",
        ["label"] = id,
        ["activity"] = activity,
        ["input"] = input,
        ["position"] = new JsonObject { ["x"] = 0, ["y"] = 0 },
    };

    public static JsonObject Edge(string id, string source, string port, string target) => new() { ["id"] = id, ["source"] = source, ["port"] = port, ["target"] = target };

    /// <summary>The node with <paramref name="id"/> in a document.</summary>
    public static JsonObject NodeOf(JsonObject flow, string id) => flow["nodes"]!.AsArray().Select(n => n!.AsObject()).Single(n => (string?)n["id"] == id);
}
