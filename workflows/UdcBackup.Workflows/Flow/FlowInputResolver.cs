using System.Text.Json;
using System.Text.Json.Nodes;
using UdcBackup.Activities.Firewall;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Computes an activity node's input when it starts: literals as written, <c>$expr</c> values
/// evaluated over earlier outputs, for-each variables and the run's inputs; then the declared
/// defaults of inputs left out; then the site fill-ins (<see cref="FlowSiteInputs"/>) and the
/// site shorthands a flow author writes instead of plain data: <c>windows</c> items naming a
/// firewall, a system and a media agent, <c>firewalls</c> and <c>dataSets</c> given by name.
/// Pure and deterministic (everything it reads is in the run's input or history); a reference or
/// name that cannot be resolved throws <see cref="FlowExpressionException"/>, which fails the node
/// without retry.
/// </summary>
public static class FlowInputResolver
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static JsonElement Resolve(FlowNode node, FlowScope scope, FlowRunInput run, string runId)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(run);
        var input = new JsonObject();
        foreach (var (name, value) in node.Input ?? new Dictionary<string, JsonElement>())
        {
            var resolved = FlowInputs.IsExpression(value, out var text) ? FlowExpression.Parse(text).Evaluate(Resolver(scope, run)) : value;
            if (resolved.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                input[name] = JsonNode.Parse(resolved.GetRawText());
            }
        }

        if (node.Activity is not null && run.Defaults?.GetValueOrDefault(node.Activity) is { } defaults)
        {
            foreach (var (name, value) in defaults.Where(d => !input.ContainsKey(d.Key)))
            {
                input[name] = JsonNode.Parse(value.GetRawText());
            }
        }

        FillFromSite(input, run.Site, runId);
        return JsonSerializer.SerializeToElement(input);
    }

    /// <summary>The reference resolver expressions of this scope use.</summary>
    public static Func<IReadOnlyList<string>, JsonElement> Resolver(FlowScope scope, FlowRunInput run)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(run);
        return path =>
        {
            var dotted = string.Join('.', path);
            switch (path[0])
            {
                case "nodes":
                    return scope.TryGetOutput(path[1], out var output)
                        ? Walk(output, path.Skip(3), dotted)
                        : throw new FlowExpressionException($"{dotted}: node {path[1]} has not produced an output in this run");
                case "vars":
                    if (!scope.Vars.TryGetValue(path[1], out var item))
                    {
                        throw new FlowExpressionException($"{dotted}: no for-each variable {path[1]} here");
                    }

                    // A system item is its id; its fields (vars.system.address) come from the site.
                    if (path.Count > 2 && item.ValueKind == JsonValueKind.String && run.Site?.FindSystem(item.GetString()) is { } system)
                    {
                        item = JsonSerializer.SerializeToElement(system, Json);
                    }

                    return Walk(item, path.Skip(2), dotted);
                default:
                    return run.Inputs is { ValueKind: JsonValueKind.Object } inputs
                        ? Walk(inputs, path.Skip(2), dotted)
                        : throw new FlowExpressionException($"{dotted}: the run has no input {path[2]}");
            }
        };
    }

    private static JsonElement Walk(JsonElement value, IEnumerable<string> fields, string dotted)
    {
        foreach (var field in fields)
        {
            var found = false;
            if (value.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in value.EnumerateObject().Where(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase)))
                {
                    value = property.Value;
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                throw new FlowExpressionException($"{dotted}: there is no field {field}");
            }
        }

        return value;
    }

    private static void FillFromSite(JsonObject input, FlowSite? site, string runId)
    {
        if (!input.ContainsKey("jobId"))
        {
            input["jobId"] = runId.Length <= 64 ? runId : runId[^64..];
        }

        var systemId = Text(input, "systemId");
        if (!input.ContainsKey("agentEndpoint") && systemId is not null)
        {
            input["agentEndpoint"] = Need(site?.FindSystem(systemId), "system", systemId).AgentEndpoint;
        }

        var mediaId = Text(input, "mediaAgentId");
        if (!input.ContainsKey("mediaEndpoint") && mediaId is not null)
        {
            input["mediaEndpoint"] = Need(site?.FindMediaAgent(mediaId), "media agent", mediaId).Endpoint;
        }

        if (input["firewalls"] is JsonArray firewalls)
        {
            input["firewalls"] = new JsonArray(firewalls.Select(f => f is JsonValue v && v.TryGetValue<string>(out var name) ? Node(Firewall(site, name)) : f?.DeepClone()).ToArray());
        }

        if (input["dataSets"] is JsonArray sets && systemId is not null)
        {
            input["dataSets"] = new JsonArray(sets.Select(d => d is JsonValue v && v.TryGetValue<string>(out var name)
                ? Node(Need(site?.FindSystem(systemId), "system", systemId).DataSets.FirstOrDefault(s => s.Name == name) ?? throw new FlowExpressionException($"system {systemId} has no data set {name}"))
                : d?.DeepClone()).ToArray());
        }

        if (input["windows"] is JsonArray windows)
        {
            input["windows"] = new JsonArray(windows.Select(w => w is JsonObject o && o["firewall"] is JsonValue ? Node(Window(site, o)) : w?.DeepClone()).ToArray());
        }
    }

    // { firewall, system|systemId|source, mediaAgent|mediaAgentId|destination } -> a WindowSpec
    // with the firewall's settings and both addresses from the site.
    private static WindowSpec Window(FlowSite? site, JsonObject item)
    {
        var firewall = Firewall(site, item["firewall"]!.GetValue<string>());
        var from = Text(item, "systemId") ?? Text(item, "system") ?? Text(item, "source") ?? throw new FlowExpressionException("a window names its system (system)");
        var to = Text(item, "mediaAgentId") ?? Text(item, "mediaAgent") ?? Text(item, "destination") ?? throw new FlowExpressionException("a window names its media agent (mediaAgent)");
        var source = Text(item, "sourceAddress") ?? Need(site?.FindSystem(from), "system", from).Address;
        var destination = Text(item, "destinationAddress") ?? site?.FindMediaAgent(to)?.Address ?? site?.FindSystem(to)?.Address
            ?? throw new FlowExpressionException($"the applied site has no media agent or system {to}");
        return new WindowSpec(firewall, from, source, destination);
    }

    private static FirewallTarget Firewall(FlowSite? site, string name) => Need(site?.FindFirewall(name), "firewall", name);

    private static T Need<T>(T? value, string what, string name)
        where T : class => value ?? throw new FlowExpressionException($"the applied site has no {what} {name}");

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, Json);
}
