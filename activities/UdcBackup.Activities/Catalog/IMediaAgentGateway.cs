namespace UdcBackup.Activities.Catalog;

/// <summary>
/// What the controller asks of a media agent directly (not through a disk agent): forgetting
/// snapshots. Forgetting an id that is already gone succeeds, so retention can be retried.
/// </summary>
public interface IMediaAgentGateway
{
    Task ForgetSnapshotsAsync(string mediaEndpoint, string repository, IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken);
}
