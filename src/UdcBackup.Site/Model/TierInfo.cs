namespace UdcBackup.Site.Model;

/// <summary>The place of a system in a multi-tier application (e.g. web, app, db); lower order is quiesced first.</summary>
public sealed record TierInfo(string Application, string Name, int Order);
