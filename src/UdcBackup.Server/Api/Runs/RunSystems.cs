using System.Text.Json;
using UdcBackup.Durable.Client;

namespace UdcBackup.Server.Api.Runs;

/// <summary>
/// The systems a run concerns, read from its input as started (runs carry no other labels):
/// the string value of every property named <c>systemId</c>, <c>targetSystemId</c>,
/// <c>snapshotSystemId</c> or <c>system</c>, anywhere in the input, except inside a flow's copy of
/// the applied site (<c>site</c>, which lists every system); plus, for a flow, the systems of the
/// zone or tier each of its for-each nodes walks (looked up in that site copy). So a
/// <c>backup.job</c> run concerns each system of its job, a <c>restore</c> both the snapshot's owner
/// and the target, a <c>flow</c> every system its nodes name. Names compare exactly (ordinal). A
/// flow scheduled to prepare at fire time has no definition in its input and concerns no system;
/// values computed by expressions at run time are not seen either.
/// <see cref="Rules"/> makes each of them a <c>system</c> search attribute of the run, written when
/// it starts, so the runs list filters on the store's index.
/// </summary>
public static class RunSystems
{
    /// <summary>The search attribute that holds a system a run concerns (one value per system).</summary>
    public const string AttributeName = "system";

    /// <summary>
    /// The runtime's search attribute rules: one <see cref="AttributeName"/> per system of the input.
    /// Change the version whenever <see cref="Of"/> changes what it finds: the runtime then labels
    /// every stored run again at its next start.
    /// </summary>
    public static readonly SearchAttributeRules Rules = new("systems-1", (_, input) => Of(input).Select(system => new SearchAttribute(AttributeName, system)));

    private static readonly HashSet<string> SystemKeys = new(StringComparer.OrdinalIgnoreCase) { "systemId", "targetSystemId", "snapshotSystemId", "system" };

    /// <summary>Whether <paramref name="input"/> names <paramref name="system"/>.</summary>
    public static bool Concerns(JsonElement? input, string system) => Of(input).Contains(system);

    /// <summary>Every system <paramref name="input"/> names.</summary>
    public static IReadOnlySet<string> Of(JsonElement? input)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (input is not { ValueKind: JsonValueKind.Object } root)
        {
            return found;
        }

        Walk(root, found);
        AddForEachSystems(root, found);
        return found;
    }

    private static void Walk(JsonElement element, HashSet<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("site"))
                    {
                        continue;
                    }

                    if (SystemKeys.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } id)
                    {
                        found.Add(id);
                    }
                    else
                    {
                        Walk(property.Value, found);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, found);
                }

                break;
        }
    }

    // A for-each over a zone or tier names the zone, not its systems; the run's site copy says which they are.
    private static void AddForEachSystems(JsonElement root, HashSet<string> found)
    {
        if (!TryGet(root, "definition", out var definition) || !TryGet(definition, "nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array
            || !TryGet(root, "site", out var site) || !TryGet(site, "systems", out var systems) || systems.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var node in nodes.EnumerateArray())
        {
            if (!TryGet(node, "config", out var config)
                || Text(config, "source") is not ("zone" or "tier") || Text(config, "value") is not { } value)
            {
                continue;
            }

            var field = Text(config, "source")!;
            foreach (var system in systems.EnumerateArray())
            {
                if (Text(system, field) == value && Text(system, "id") is { } id)
                {
                    found.Add(id);
                }
            }
        }
    }

    private static string? Text(JsonElement element, string name) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value);
    }
}
