namespace UdcBackup.Site.Model;

/// <summary>Level of a backup run.</summary>
public enum BackupLevel
{
    Full,
    Incremental,
}
