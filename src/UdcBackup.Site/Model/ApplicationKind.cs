namespace UdcBackup.Site.Model;

/// <summary>How a system is quiesced for a backup.</summary>
public enum ApplicationKind
{
    /// <summary>A database with a backup mode: pre-backup enters it, post-backup leaves it; restores stop and start the database.</summary>
    DatabaseBackupMode,

    /// <summary>No backup mode: pre-backup suspends the applications, post-backup resumes them.</summary>
    ApplicationSuspend,

    /// <summary>Plain files; scripts are optional.</summary>
    None,
}
