using System.Text.Json;
using UdcBackup.Site.Model;
using UdcBackup.Site.Serialization;

namespace UdcBackup.Site.Changes;

/// <summary>
/// Lists what applying a new version of a site changes, entity by entity (matched by name or id,
/// compared in canonical JSON so that order and formatting do not count), for `udc site apply` to
/// report and for an audit record. No previous version means everything is added.
/// </summary>
public static class SiteChanges
{
    public static IReadOnlyList<SiteChange> Compare(SiteDefinition? previous, SiteDefinition next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var changes = new List<SiteChange>();
        if (previous is not null && previous.Name != next.Name)
        {
            changes.Add(new SiteChange(SiteChangeKind.Changed, "site", next.Name));
        }

        Compare(changes, "zone", previous?.Zones, next.Zones, z => z.Name);
        Compare(changes, "firewall", previous?.Firewalls, next.Firewalls, f => f.Name);
        Compare(changes, "mediaAgent", previous?.MediaAgents, next.MediaAgents, m => m.Id);
        Compare(changes, "system", previous?.Systems, next.Systems, s => s.Id);
        Compare(changes, "job", previous?.Jobs, next.Jobs, j => j.Id);
        return changes;
    }

    private static void Compare<T>(List<SiteChange> changes, string entity, IReadOnlyList<T>? before, IReadOnlyList<T> after, Func<T, string> id)
    {
        var old = (before ?? []).ToDictionary(id, Canonical, StringComparer.Ordinal);
        var now = after.ToDictionary(id, Canonical, StringComparer.Ordinal);
        foreach (var (key, json) in now.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!old.TryGetValue(key, out var previous))
            {
                changes.Add(new SiteChange(SiteChangeKind.Added, entity, key));
            }
            else if (previous != json)
            {
                changes.Add(new SiteChange(SiteChangeKind.Changed, entity, key));
            }
        }

        foreach (var key in old.Keys.Where(k => !now.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            changes.Add(new SiteChange(SiteChangeKind.Removed, entity, key));
        }
    }

    /// <summary>An entity's canonical form: itself inside an otherwise empty site, which normalizes nested lists too.</summary>
    private static string Canonical<T>(T item)
    {
        var site = item switch
        {
            Zone z => Empty with { Zones = [z] },
            FirewallDefinition f => Empty with { Firewalls = [f] },
            MediaAgent m => Empty with { MediaAgents = [m] },
            ProtectedSystem s => Empty with { Systems = [s] },
            BackupJob j => Empty with { Jobs = [j] },
            _ => throw new ArgumentException($"not a site entity: {typeof(T).Name}", nameof(item)),
        };
        return CanonicalSiteJson.Serialize(site);
    }

    private static SiteDefinition Empty { get; } = new(string.Empty, [], [], [], [], []);
}
