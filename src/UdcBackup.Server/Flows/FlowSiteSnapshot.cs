using UdcBackup.Activities.Firewall;
using UdcBackup.Server.Site;
using UdcBackup.Site.Model;
using UdcBackup.Site.Serialization;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Flows;

/// <summary>
/// The applied site as a flow run sees it (<see cref="FlowSite"/>), copied into the run's input at
/// start. Firewalls that the backup workflows cannot drive (not nftables) are left out, so a flow
/// naming one fails at that node with "no firewall" rather than at start.
/// </summary>
public static class FlowSiteSnapshot
{
    public static async Task<(FlowSite? Site, SiteDefinition? Definition)> LoadAsync(SiteVersionStore sites, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var applied = await sites.GetAsync(cancellationToken: cancellationToken);
        if (applied is null)
        {
            return (null, null);
        }

        var site = CanonicalSiteJson.Deserialize(applied.Json);
        return (From(site, applied.Version), site);
    }

    public static FlowSite From(SiteDefinition site, int version)
    {
        ArgumentNullException.ThrowIfNull(site);
        var firewalls = new List<FirewallTarget>();
        foreach (var firewall in site.Firewalls)
        {
            try
            {
                firewalls.Add(SiteInputs.Target(firewall));
            }
            catch (ArgumentException)
            {
                // Not drivable by the activities (another kind); see the summary.
            }
        }

        return new FlowSite(
            version,
            site.Systems.Select(s => new FlowSiteSystem(
                s.Id,
                s.Zone,
                s.AgentEndpoint,
                s.Address,
                s.ApplicationKind.ToString(),
                s.Tier?.Application,
                s.Tier?.Name,
                s.Tier?.Order ?? 0,
                s.DataSets.Select(SiteInputs.DataSet).ToList(),
                new[] { s.Scripts.PreBackup, s.Scripts.PostBackup, s.Scripts.StopPrograms, s.Scripts.StartPrograms }.Where(c => c is not null).Select(c => c!.Name).Distinct(StringComparer.Ordinal).ToList())).ToList(),
            site.MediaAgents.Select(m => new FlowSiteMediaAgent(m.Id, m.Endpoint, m.Address)).ToList(),
            firewalls);
    }
}
