namespace UdcBackup.Site.Changes;

/// <summary>One entity added, removed or changed: <see cref="Entity"/> is <c>zone</c>, <c>firewall</c>, <c>mediaAgent</c>, <c>system</c>, <c>job</c> or <c>site</c>.</summary>
public sealed record SiteChange(SiteChangeKind Kind, string Entity, string Id)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Entity} {Id}";
}
