using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Catalog;

/// <summary>Result of <c>catalog.record-snapshot</c>.</summary>
public sealed record RecordSnapshotResult(
    [property: ActivityOutput(ActivityInputKind.String, "The recorded snapshot")] string SnapshotId,
    [property: ActivityOutput(ActivityInputKind.Bool, "It was already recorded by an earlier attempt")] bool AlreadyRecorded);
