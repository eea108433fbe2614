using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Catalog;

/// <summary>Input of <c>catalog.record-snapshot</c>.</summary>
public sealed record RecordSnapshotInput(
    [property: ActivityInput(ActivityInputKind.String, "Snapshot id returned by the stream", Required = true)] string SnapshotId,
    [property: ActivityInput(ActivityInputKind.System, "System the job backed up", Required = true, UiHint = "system-picker")] string SystemId,
    [property: ActivityInput(ActivityInputKind.System, "System tag the media agent wrote into the snapshot", Required = true)] string SnapshotSystemId,
    [property: ActivityInput(ActivityInputKind.String, "Job that made it", Required = true)] string JobId,
    [property: ActivityInput(ActivityInputKind.String, "full or incremental", Required = true, Pattern = "full|incremental")] string Level,
    [property: ActivityInput(ActivityInputKind.String, "Media agent id", Required = true)] string MediaAgentId,
    [property: ActivityInput(ActivityInputKind.String, "Repository", Required = true)] string Repository,
    [property: ActivityInput(ActivityInputKind.Int, "Bytes in the snapshot", Minimum = 0)] long Bytes,
    [property: ActivityInput(ActivityInputKind.Int, "Files in the snapshot", Minimum = 0)] long Files);
