namespace UdcBackup.Server.Site;

/// <summary>Body of <c>POST /api/site</c>: the YAML text and the file name errors should name.</summary>
public sealed record SiteApplyRequest(string Yaml, string? File);
