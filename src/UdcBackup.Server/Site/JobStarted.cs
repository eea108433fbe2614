namespace UdcBackup.Server.Site;

/// <summary>A started backup or restore run: its workflow id and the site version it was planned from.</summary>
public sealed record JobStarted(string Id, string WorkflowType, int SiteVersion);
