using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Systems;

/// <summary>What a stream moved; for a sealed backup, the snapshot and the system tag the media agent wrote into it.</summary>
public sealed record StreamOutcome(
    [property: ActivityOutput(ActivityInputKind.String, "Snapshot id (sealed backups only)")] string? SnapshotId,
    [property: ActivityOutput(ActivityInputKind.System, "System tag recorded in the snapshot")] string? SnapshotSystemId,
    [property: ActivityOutput(ActivityInputKind.Int, "Bytes moved")] long Bytes,
    [property: ActivityOutput(ActivityInputKind.Int, "Files moved")] long Files);
