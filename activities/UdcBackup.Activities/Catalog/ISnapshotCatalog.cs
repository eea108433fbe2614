namespace UdcBackup.Activities.Catalog;

/// <summary>
/// The controller's record of snapshots per system. <see cref="AddAsync"/> is idempotent by
/// snapshot id: adding the same snapshot again returns false and changes nothing; adding an id
/// that is recorded for another system throws, so a snapshot can never move to another system.
/// </summary>
public interface ISnapshotCatalog
{
    /// <summary>Adds the entry; false when it was already there (same system).</summary>
    Task<bool> AddAsync(CatalogEntry entry, CancellationToken cancellationToken = default);

    Task<CatalogEntry?> FindAsync(string snapshotId, CancellationToken cancellationToken = default);

    /// <summary>Snapshots of a system (not forgotten unless asked), newest first; <paramref name="jobId"/> narrows to one job.</summary>
    Task<IReadOnlyList<CatalogEntry>> ListAsync(string systemId, string? jobId = null, bool includeForgotten = false, CancellationToken cancellationToken = default);

    Task MarkForgottenAsync(IReadOnlyCollection<string> snapshotIds, CancellationToken cancellationToken = default);
}
