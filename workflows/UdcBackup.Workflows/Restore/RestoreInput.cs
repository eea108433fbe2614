using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Systems;
using UdcBackup.Workflows.Backup;

namespace UdcBackup.Workflows.Restore;

/// <summary>
/// Everything a restore needs, from one site version at start (<see cref="RestoreInputs.FromSite"/>).
/// <see cref="SnapshotSystemId"/> is the system the operator named as the snapshot's owner; the
/// workflow checks it against the catalog. <see cref="ApprovedBy"/> is the operator who approved
/// a restore to another system (null: not approved); <see cref="RequestedBy"/> who started it.
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
    string? ApprovedBy);
