using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Workflows;
using UdcBackup.Workflows.Backup;

namespace UdcBackup.Workflows.Restore;

/// <summary>
/// Everything a restore needs, from one site version at start (<see cref="RestoreInputs.FromSite"/>).
/// <see cref="SnapshotSystemId"/> is the system the operator named as the snapshot's owner; the
/// workflow checks it against the catalog. <see cref="ApprovedBy"/> is the operator who approved
/// a restore to another system (null: not approved); <see cref="RequestedBy"/> who started it.
/// <see cref="Into"/> is an absolute folder on the target that the snapshot's paths are restored
/// under (<c>INTO/&lt;original absolute path&gt;</c>); null, as in inputs of earlier versions,
/// restores them to their original paths. <see cref="Paths"/> are the paths the operator selected,
/// which <see cref="DataSets"/> are already narrowed to (<see cref="RestorePaths.Narrow"/>); null,
/// as in inputs of earlier versions, restores the data sets whole.
/// </summary>
public sealed record RestoreInput(
    string RunId,
    string SnapshotId,
    string SnapshotSystemId,
    string TargetSystemId,
    string TargetAgentEndpoint,
    string MediaAgentId,
    string MediaEndpoint,
    string Repository,
    IReadOnlyList<FirewallTarget> Firewalls,
    IReadOnlyList<WindowSpec> Windows,
    ScriptSpec? StopPrograms,
    ScriptSpec? StartPrograms,
    IReadOnlyList<DataSetSpec> DataSets,
    string? RequestedBy,
    string? ApprovedBy,
    string? Into = null,
    IReadOnlyList<string>? Paths = null) : IValidatedWorkflowInput
{
    /// <inheritdoc />
    /// <remarks>
    /// An input built from the site (<see cref="RestoreInputs.FromSite"/>) always passes; this
    /// catches one written by hand for <c>udc workflow start restore</c>. Whether the snapshot
    /// belongs to <see cref="SnapshotSystemId"/> is the workflow's check, against the catalog.
    /// </remarks>
    public IReadOnlyList<string> Problems()
    {
        var problems = new WorkflowInputProblems()
            .Required("runId", RunId, "the run's id, which tags its firewall rules")
            .Required("snapshotId", SnapshotId, "the snapshot to restore")
            .Required("snapshotSystemId", SnapshotSystemId, "the system that owns the snapshot")
            .Required("targetSystemId", TargetSystemId, "the system to restore to")
            .Required("targetAgentEndpoint", TargetAgentEndpoint, "the target's disk agent address, host:port")
            .RequiredTransfer(MediaAgentId, MediaEndpoint, Repository, Firewalls, Windows)
            .Required("dataSets", DataSets, "a list of the data sets to restore");
        if (Into is not null && !IsFolder(Into))
        {
            problems.Add($"into '{Into}' {IntoRule}");
        }

        if (Paths is { } selected)
        {
            foreach (var path in selected.Where(p => !RestorePaths.IsNormalized(p)))
            {
                problems.Add($"path '{path}' {RestorePaths.Rule}");
            }

            // The data sets are what is restored; a selection they do not match would misreport the run.
            foreach (var path in (DataSets ?? []).SelectMany(d => d.Paths).Where(p => !selected.Contains(p)).Distinct(StringComparer.Ordinal))
            {
                problems.Add($"dataSets path '{path}' is not one of the selected paths ({string.Join(", ", selected)}): narrow the data sets to them");
            }
        }

        if (!string.IsNullOrWhiteSpace(RunId) && !SiteInputs.IsRunId(RunId))
        {
            problems.Add($"runId '{RunId}' {SiteInputs.RunIdRule}");
        }

        return problems.ToList();
    }

    /// <summary>What <see cref="Into"/> must be, worded to follow its value.</summary>
    public const string IntoRule = "is not an absolute folder path: give the folder on the target to restore into, e.g. /srv/restored";

    /// <summary>True for an absolute path other than "/" without "." or ".." segments.</summary>
    public static bool IsFolder(string path) =>
        !string.IsNullOrEmpty(path) && path.StartsWith('/') && path.Trim('/').Length > 0 && !path.Contains('\0', StringComparison.Ordinal)
        && path.Split('/').All(segment => segment != "." && segment != "..");
}
