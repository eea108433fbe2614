using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Catalog;

/// <summary>Result of <c>catalog.find-snapshot</c>: who owns the snapshot and where it lives.</summary>
public sealed record FindSnapshotResult(
    [property: ActivityOutput(ActivityInputKind.String, "Snapshot id")] string SnapshotId,
    [property: ActivityOutput(ActivityInputKind.System, "System the snapshot belongs to")] string SystemId,
    [property: ActivityOutput(ActivityInputKind.String, "Media agent holding it")] string MediaAgentId,
    [property: ActivityOutput(ActivityInputKind.String, "Repository holding it")] string Repository,
    [property: ActivityOutput(ActivityInputKind.Bool, "Forgotten by retention")] bool Forgotten);
