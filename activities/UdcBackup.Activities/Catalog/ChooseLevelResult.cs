using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Catalog;

/// <summary>Result of <c>catalog.choose-level</c>.</summary>
public sealed record ChooseLevelResult(
    [property: ActivityOutput(ActivityInputKind.String, "full or incremental")] string Level,
    [property: ActivityOutput(ActivityInputKind.String, "Newest snapshot of the system for an incremental to build on")] string? ParentSnapshotId);
