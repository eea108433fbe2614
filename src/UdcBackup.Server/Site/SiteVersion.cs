namespace UdcBackup.Server.Site;

/// <summary>One stored version of the site: its number, when it was applied, its content hash and canonical JSON.</summary>
public sealed record SiteVersion(int Version, DateTimeOffset AppliedAt, string ContentHash, string Json);
