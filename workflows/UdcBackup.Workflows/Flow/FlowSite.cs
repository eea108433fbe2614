using UdcBackup.Activities.Firewall;

namespace UdcBackup.Workflows.Flow;

/// <summary>The part of the applied site a flow run needs, as plain data (version = the site version it came from).</summary>
public sealed record FlowSite(int Version, IReadOnlyList<FlowSiteSystem> Systems, IReadOnlyList<FlowSiteMediaAgent> MediaAgents, IReadOnlyList<FirewallTarget> Firewalls)
{
    public FlowSiteSystem? FindSystem(string? id) => Systems.FirstOrDefault(s => s.Id == id);

    public FlowSiteMediaAgent? FindMediaAgent(string? id) => MediaAgents.FirstOrDefault(m => m.Id == id);

    public FirewallTarget? FindFirewall(string? name) => Firewalls.FirstOrDefault(f => f.Name == name);

    /// <summary>The systems of a zone, by id.</summary>
    public IReadOnlyList<FlowSiteSystem> InZone(string zone) => Systems.Where(s => s.Zone == zone).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();

    /// <summary>The systems of a tier, named by tier name, application, or <c>application/tier</c>; in tier order, then id.</summary>
    public IReadOnlyList<FlowSiteSystem> InTier(string tier) =>
        Systems.Where(s => s.Tier is not null && (s.Tier == tier || s.Application == tier || $"{s.Application}/{s.Tier}" == tier))
            .OrderBy(s => s.TierOrder).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
}
