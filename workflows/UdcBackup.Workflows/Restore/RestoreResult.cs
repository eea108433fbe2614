namespace UdcBackup.Workflows.Restore;

/// <summary>Result (and query <c>progress</c>) of a restore: what went where, who approved, how far it got.</summary>
public sealed record RestoreResult(
    string RunId,
    string SnapshotId,
    string SnapshotSystemId,
    string TargetSystemId,
    string? RequestedBy,
    string? ApprovedBy,
    string Phase,
    long Bytes,
    long Files,
    bool ProgramsStarted,
    int WindowsClosed);
