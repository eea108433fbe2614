namespace UdcBackup.Site.Planning;

/// <summary>What a plan does.</summary>
public enum PlanKind
{
    Backup,
    Restore,
}
