using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Systems;

/// <summary>
/// Input of <c>data.stream-restore</c>: the media agent streams snapshot <see cref="SnapshotId"/>
/// (owned by <see cref="SnapshotSystemId"/>) to the disk agent of <see cref="TargetSystemId"/>.
/// A target other than the owner needs <see cref="ApprovedBy"/>; the media agent checks the same
/// rule against its token, so the controller cannot be the only guard. <see cref="Into"/> puts
/// every file under that folder (<c>INTO/&lt;original absolute path&gt;</c>) instead of back at its
/// original path; null (older inputs too) restores to the original paths.
/// </summary>
public sealed record StreamRestoreInput(
    [property: ActivityInput(ActivityInputKind.String, "Job id (token and audit)", Required = true)] string JobId,
    [property: ActivityInput(ActivityInputKind.System, "System that receives the data", Required = true, UiHint = "system-picker")] string TargetSystemId,
    [property: ActivityInput(ActivityInputKind.String, "Target's disk agent endpoint host:port", Required = true, Pattern = @"\S+:[0-9]{1,5}")] string AgentEndpoint,
    [property: ActivityInput(ActivityInputKind.String, "Media agent id", Required = true)] string MediaAgentId,
    [property: ActivityInput(ActivityInputKind.String, "Media agent endpoint host:port", Required = true, Pattern = @"\S+:[0-9]{1,5}")] string MediaEndpoint,
    [property: ActivityInput(ActivityInputKind.String, "Repository on the media agent", Required = true)] string Repository,
    [property: ActivityInput(ActivityInputKind.String, "Snapshot to restore", Required = true)] string SnapshotId,
    [property: ActivityInput(ActivityInputKind.System, "System that owns the snapshot", Required = true, UiHint = "system-picker")] string SnapshotSystemId,
    [property: ActivityInput(ActivityInputKind.String, "Operator who approved a restore to another system")] string? ApprovedBy,
    [property: ActivityInput(ActivityInputKind.Json, "Data sets to restore", Required = true, UiHint = "data-sets")] IReadOnlyList<DataSetSpec> DataSets,
    [property: ActivityInput(ActivityInputKind.String, "Absolute folder on the target to restore into (empty: the original paths)", Pattern = "/.*")] string? Into = null);
