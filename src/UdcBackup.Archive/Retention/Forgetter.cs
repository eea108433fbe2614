using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Retention;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> (or removes named snapshots) under an exclusive lock.
/// Only manifests are deleted; their data stays until <see cref="Pruner"/> runs.
/// </summary>
public sealed class Forgetter(ArchiveRepository repository)
{
    public (List<(Snapshot Snapshot, List<string> Reasons)> Keep, List<Snapshot> Remove) Run(RetentionPolicy policy, IReadOnlyList<string> explicitIds, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(explicitIds);
        if (policy.HasNegativeCount)
        {
            throw new ArchiveException(ArchiveErrorCode.InvalidArgument, "A --keep-* count must be 0 or more; nothing was forgotten.");
        }

        using var repositoryLock = repository.Lock(exclusive: true);
        var snapshots = repository.ListSnapshots();
        List<(Snapshot, List<string>)> keep;
        List<Snapshot> remove;
        if (explicitIds.Count > 0)
        {
            remove = explicitIds.Select(repository.FindSnapshot).DistinctBy(s => s.Id).ToList();
            var removed = remove.Select(s => s.Id).ToHashSet();
            keep = snapshots.Where(s => !removed.Contains(s.Id)).Select(s => (s, new List<string> { "not named" })).ToList();
        }
        else
        {
            if (policy.KeepsNothing)
            {
                throw new ArchiveException(ArchiveErrorCode.InvalidArgument, "Refusing to forget every snapshot: give at least one --keep-* rule or snapshot ids.");
            }

            (keep, remove) = policy.Apply(snapshots);
        }

        if (!dryRun)
        {
            foreach (var snapshot in remove)
            {
                repository.DeleteSnapshot(snapshot.Id);
            }
        }

        return (keep, remove);
    }
}
