using UdcBackup.Activities.Systems;

namespace UdcBackup.Workflows.Backup;

/// <summary>
/// One system of a backup run: its agent, its pre/post scripts, the data sets streamed while it
/// is quiesced and those streamed after post-backup into the same snapshot.
/// </summary>
public sealed record BackupSystemSpec(
    string SystemId,
    string AgentEndpoint,
    ScriptSpec? PreBackup,
    ScriptSpec? PostBackup,
    IReadOnlyList<DataSetSpec> DataSets,
    IReadOnlyList<DataSetSpec> AfterPostBackup);
