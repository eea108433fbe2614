namespace UdcBackup.Server.Site;

/// <summary>Body of <c>POST /api/backups</c>: the site job to run now; <paramref name="Force"/> starts it even while another run works on one of its systems.</summary>
public sealed record BackupStartRequest(string Job, bool Force = false);
