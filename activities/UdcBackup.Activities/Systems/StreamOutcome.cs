using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Systems;

/// <summary>
/// What a stream moved; for a sealed backup, the snapshot and the system tag the media agent wrote
/// into it; for a restore, also the files the target already held as the snapshot has them (not
/// written again, so a restore onto an up-to-date system moves nothing and still restored everything).
/// </summary>
public sealed record StreamOutcome(
    [property: ActivityOutput(ActivityInputKind.String, "Snapshot id (sealed backups only)")] string? SnapshotId,
    [property: ActivityOutput(ActivityInputKind.System, "System tag recorded in the snapshot")] string? SnapshotSystemId,
    [property: ActivityOutput(ActivityInputKind.Int, "Bytes moved")] long Bytes,
    [property: ActivityOutput(ActivityInputKind.Int, "Files moved")] long Files,
    [property: ActivityOutput(ActivityInputKind.Int, "Files already correct at the target (restores only)")] long AlreadyCorrectFiles = 0,
    [property: ActivityOutput(ActivityInputKind.Int, "Bytes of the files already correct at the target (restores only)")] long AlreadyCorrectBytes = 0);
