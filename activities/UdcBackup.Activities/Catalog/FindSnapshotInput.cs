using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Catalog;

/// <summary>Input of <c>catalog.find-snapshot</c>.</summary>
public sealed record FindSnapshotInput(
    [property: ActivityInput(ActivityInputKind.String, "Snapshot id", Required = true)] string SnapshotId);
