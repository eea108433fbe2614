using System.Text.Json;
using UdcBackup.Activities.Metadata;
using UdcBackup.Server.Catalog;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Flows;

/// <summary>The activity catalogue flows are validated against (the product's activity classes) and the defaults a run carries.</summary>
public static class FlowCatalog
{
    private static readonly Lazy<ActivityCatalog> Lazy = new(() => ActivityCatalog.FromTypes(OrchestrationCatalog.ActivityTypes));

    public static ActivityCatalog Activities => Lazy.Value;

    /// <summary>The declared defaults of every activity the flow uses, by activity and input name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>> DefaultsFor(FlowDocument flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var defaults = new Dictionary<string, IReadOnlyDictionary<string, JsonElement>>(StringComparer.Ordinal);
        foreach (var name in flow.Nodes.Where(n => n.Kind == FlowKinds.Activity && n.Activity is not null).Select(n => n.Activity!).Distinct(StringComparer.Ordinal))
        {
            if (Activities.Find(name) is { } activity)
            {
                defaults[name] = activity.Inputs.Where(i => i.Default is not null).ToDictionary(i => i.Name, i => i.Default!.Value, StringComparer.Ordinal);
            }
        }

        return defaults;
    }
}
