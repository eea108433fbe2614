namespace UdcBackup.Server.Site;

/// <summary>The input of <see cref="RefusedJobWorkflow"/>: the job, the site version it was planned from, and why it is refused.</summary>
public sealed record RefusedJobInput(string JobId, int SiteVersion, string Reason);
