namespace UdcBackup.Site.Changes;

/// <summary>What happened to an entity between two versions of a site.</summary>
public enum SiteChangeKind
{
    Added,
    Removed,
    Changed,
}
