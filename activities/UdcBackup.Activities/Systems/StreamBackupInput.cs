using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Systems;

/// <summary>
/// Input of <c>data.stream-backup</c>: the disk agent of <see cref="SystemId"/> streams the data
/// sets to the media agent into the backup session <see cref="SessionId"/>; the stream with
/// <see cref="Seal"/> closes the session into one snapshot tagged with system, job and level
/// (a database's label folder is streamed after post-backup into the same snapshot).
/// </summary>
public sealed record StreamBackupInput(
    [property: ActivityInput(ActivityInputKind.String, "Job id (token and snapshot tag)", Required = true)] string JobId,
    [property: ActivityInput(ActivityInputKind.System, "System whose data is streamed", Required = true, UiHint = "system-picker")] string SystemId,
    [property: ActivityInput(ActivityInputKind.String, "Disk agent endpoint host:port", Required = true, Pattern = @"\S+:[0-9]{1,5}")] string AgentEndpoint,
    [property: ActivityInput(ActivityInputKind.String, "Media agent id", Required = true)] string MediaAgentId,
    [property: ActivityInput(ActivityInputKind.String, "Media agent endpoint host:port", Required = true, Pattern = @"\S+:[0-9]{1,5}")] string MediaEndpoint,
    [property: ActivityInput(ActivityInputKind.String, "Repository on the media agent", Required = true)] string Repository,
    [property: ActivityInput(ActivityInputKind.String, "full or incremental", Required = true, Pattern = "full|incremental")] string Level,
    [property: ActivityInput(ActivityInputKind.String, "Snapshot an incremental reads unchanged files from")] string? ParentSnapshotId,
    [property: ActivityInput(ActivityInputKind.String, "Backup session the stream adds to (one per system and job)", Required = true)] string SessionId,
    [property: ActivityInput(ActivityInputKind.Json, "Data sets to stream", Required = true, UiHint = "data-sets")] IReadOnlyList<DataSetSpec> DataSets,
    [property: ActivityInput(ActivityInputKind.Bool, "Seal the session into the snapshot after this stream", Default = "true")] bool Seal = true);
