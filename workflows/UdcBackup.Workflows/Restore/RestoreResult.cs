namespace UdcBackup.Workflows.Restore;

/// <summary>
/// Result (and query <c>progress</c>) of a restore: what went where, who approved, how far it got.
/// <see cref="Bytes"/>/<see cref="Files"/> are what was written; <see cref="AlreadyCorrectFiles"/>/
/// <see cref="AlreadyCorrectBytes"/> what the target already held as the snapshot has it and was left alone.
/// </summary>
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
    int WindowsClosed,
    long AlreadyCorrectFiles = 0,
    long AlreadyCorrectBytes = 0);
