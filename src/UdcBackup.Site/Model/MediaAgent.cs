namespace UdcBackup.Site.Model;

/// <summary>
/// A media agent: it owns repositories and receives the disk agents' streams on
/// <see cref="Endpoint"/> (host:port). <see cref="Address"/> is its address as the firewalls see it.
/// </summary>
public sealed record MediaAgent(string Id, string Zone, string Endpoint, string Address, IReadOnlyList<Repository> Repositories)
{
    public Repository? FindRepository(string name) => Repositories.FirstOrDefault(r => r.Name == name);
}
