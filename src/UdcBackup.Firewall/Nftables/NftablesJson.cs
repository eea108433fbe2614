using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UdcBackup.Firewall.Nftables;

/// <summary>
/// Builds and reads nftables' JSON form (libnftables-json). Writing rules as JSON means addresses,
/// ports and tags are data to nft, never text its parser could read as syntax; reading the chain
/// as JSON gives rule handles and comments without scraping the human-readable listing.
/// </summary>
internal static class NftablesJson
{
    /// <summary>Comment of the rule that drops a designated port outside windows.</summary>
    public static string PolicyComment(int port) => $"udc:port-policy={port}";

    public static string Commands(params JsonObject[] commands) =>
        new JsonObject { ["nftables"] = new JsonArray(commands) }.ToJsonString();

    public static JsonObject AddTable(NftablesOptions o) =>
        new() { ["add"] = new JsonObject { ["table"] = new JsonObject { ["family"] = o.Family, ["name"] = o.Table } } };

    public static JsonObject AddChain(NftablesOptions o) => new()
    {
        ["add"] = new JsonObject
        {
            ["chain"] = new JsonObject
            {
                ["family"] = o.Family,
                ["table"] = o.Table,
                ["name"] = o.Chain,
                ["type"] = "filter",
                ["hook"] = o.Hook,
                ["prio"] = o.Priority,
                ["policy"] = "accept",
            },
        },
    };

    public static JsonObject AddPolicyRule(NftablesOptions o, int port) => new()
    {
        ["add"] = new JsonObject
        {
            ["rule"] = RuleBody(o, PolicyComment(port), [Match("tcp", "dport", port), new JsonObject { ["drop"] = null }]),
        },
    };

    public static JsonObject InsertWindowRule(NftablesOptions o, FirewallWindowRequest r)
    {
        var ip = r.IsIPv6 ? "ip6" : "ip";
        return new JsonObject
        {
            ["insert"] = new JsonObject
            {
                ["rule"] = RuleBody(o, r.Tag, [
                    Match(ip, "saddr", r.Source.ToString()),
                    Match(ip, "daddr", r.Destination.ToString()),
                    Match("tcp", "dport", r.Port),
                    new JsonObject { ["accept"] = null },
                ]),
            },
        };
    }

    public static JsonObject DeleteRule(NftablesOptions o, long handle) => new()
    {
        ["delete"] = new JsonObject
        {
            ["rule"] = new JsonObject { ["family"] = o.Family, ["table"] = o.Table, ["chain"] = o.Chain, ["handle"] = handle },
        },
    };

    public static JsonObject ListChain(NftablesOptions o) =>
        new() { ["list"] = new JsonObject { ["chain"] = new JsonObject { ["family"] = o.Family, ["table"] = o.Table, ["name"] = o.Chain } } };

    public static JsonObject ListChains(NftablesOptions o) =>
        new() { ["list"] = new JsonObject { ["chains"] = new JsonObject { ["family"] = o.Family } } };

    public static JsonObject DeleteTable(NftablesOptions o) =>
        new() { ["delete"] = new JsonObject { ["table"] = new JsonObject { ["family"] = o.Family, ["name"] = o.Table } } };

    /// <summary>Rules of a <c>nft -j -a list chain</c> (or echo) output, in chain order.</summary>
    public static IReadOnlyList<NftablesRule> ReadRules(string json)
    {
        var rules = new List<NftablesRule>();
        var root = JsonNode.Parse(json)?["nftables"]?.AsArray()
            ?? throw new FirewallException("nft printed JSON without an 'nftables' array");
        foreach (var item in root)
        {
            var rule = item?["rule"] ?? item?["insert"]?["rule"] ?? item?["add"]?["rule"];
            if (rule is null)
            {
                continue;
            }

            var handle = rule["handle"]?.GetValue<long>()
                ?? throw new FirewallException("nft listed a rule without a handle (was -a given?)");
            rules.Add(new NftablesRule(handle, rule["comment"]?.GetValue<string>(), rule["expr"]?.AsArray() ?? []));
        }

        return rules;
    }

    /// <summary>True when a <c>nft -j list chains</c> output contains the table's chain.</summary>
    public static bool HasChain(string json, string table, string chain)
    {
        var root = JsonNode.Parse(json)?["nftables"]?.AsArray()
            ?? throw new FirewallException("nft printed JSON without an 'nftables' array");
        return root.Any(item => item?["chain"] is JsonNode c
            && c["table"]?.GetValue<string>() == table
            && c["name"]?.GetValue<string>() == chain);
    }

    /// <summary>Reads back the window a rule admits, or null when the rule has another shape.</summary>
    public static FirewallWindowRequest? ReadWindowRequest(NftablesRule rule, string jobId)
    {
        IPAddress? source = null, destination = null;
        int? port = null;
        var accepts = false;
        foreach (var e in rule.Expressions)
        {
            if (e is JsonObject o && o.ContainsKey("accept"))
            {
                accepts = true;
                continue;
            }

            var match = e?["match"];
            var field = match?["left"]?["payload"]?["field"]?.GetValue<string>();
            var right = match?["right"];
            if (match?["op"]?.GetValue<string>() != "==" || right is null)
            {
                continue;
            }

            switch (field)
            {
                case "saddr" when right.GetValueKind() == JsonValueKind.String:
                    source = IPAddress.TryParse(right.GetValue<string>(), out var s) ? s : null;
                    break;
                case "daddr" when right.GetValueKind() == JsonValueKind.String:
                    destination = IPAddress.TryParse(right.GetValue<string>(), out var d) ? d : null;
                    break;
                case "dport" when right.GetValueKind() == JsonValueKind.Number:
                    port = right.GetValue<int>();
                    break;
                default:
                    break;
            }
        }

        if (!accepts || source is null || destination is null || port is null)
        {
            return null;
        }

        try
        {
            return new FirewallWindowRequest(port.Value, source, destination, jobId);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static string HandleText(long handle) => handle.ToString(CultureInfo.InvariantCulture);

    private static JsonObject RuleBody(NftablesOptions o, string comment, JsonNode[] expressions) => new()
    {
        ["family"] = o.Family,
        ["table"] = o.Table,
        ["chain"] = o.Chain,
        ["comment"] = comment,
        ["expr"] = new JsonArray(expressions),
    };

    private static JsonObject Match(string protocol, string field, JsonNode right) => new()
    {
        ["match"] = new JsonObject
        {
            ["op"] = "==",
            ["left"] = new JsonObject { ["payload"] = new JsonObject { ["protocol"] = protocol, ["field"] = field } },
            ["right"] = right,
        },
    };
}
