namespace UdcBackup.Server.Site;

/// <summary>Body of <c>POST /api/backups</c>: the site job to run now.</summary>
public sealed record BackupStartRequest(string Job);
