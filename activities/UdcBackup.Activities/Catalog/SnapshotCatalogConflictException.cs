namespace UdcBackup.Activities.Catalog;

/// <summary>A snapshot id is already recorded for another system (or job); the catalog refuses to move it.</summary>
public sealed class SnapshotCatalogConflictException : Exception
{
    public SnapshotCatalogConflictException(string message)
        : base(message)
    {
    }
}
