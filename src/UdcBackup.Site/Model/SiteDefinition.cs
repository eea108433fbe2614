namespace UdcBackup.Site.Model;

/// <summary>
/// One site: its trust zones, the firewalls between them, the media agents that own the archive,
/// the protected systems and the backup jobs. Immutable; built by
/// <see cref="Loading.SiteDefinitionLoader"/> from YAML or by
/// <see cref="Serialization.CanonicalSiteJson"/> from a stored version.
/// </summary>
public sealed record SiteDefinition(
    string Name,
    IReadOnlyList<Zone> Zones,
    IReadOnlyList<FirewallDefinition> Firewalls,
    IReadOnlyList<MediaAgent> MediaAgents,
    IReadOnlyList<ProtectedSystem> Systems,
    IReadOnlyList<BackupJob> Jobs)
{
    public Zone? FindZone(string name) => Zones.FirstOrDefault(z => z.Name == name);

    public FirewallDefinition? FindFirewall(string name) => Firewalls.FirstOrDefault(f => f.Name == name);

    public MediaAgent? FindMediaAgent(string id) => MediaAgents.FirstOrDefault(m => m.Id == id);

    public ProtectedSystem? FindSystem(string id) => Systems.FirstOrDefault(s => s.Id == id);

    public BackupJob? FindJob(string id) => Jobs.FirstOrDefault(j => j.Id == id);
}
