namespace UdcBackup.Cli.Output;

/// <summary>
/// One system's line of a job run as shown by <c>udc jobs show</c>: its state and step, the level,
/// what moved so far, the snapshot it produced, and what went wrong; <see cref="Done"/> is the
/// fraction of its steps behind it (0..1). A restore's row also carries the files (and bytes) the
/// target already held as the snapshot has them: not written, so not in <see cref="Bytes"/>/<see cref="Files"/>.
/// </summary>
internal sealed record JobRow(
    string System,
    string State,
    string? Step,
    string? Level,
    long Bytes,
    long Files,
    string? SnapshotId,
    string? Error,
    string? Note,
    double Done,
    long AlreadyCorrectFiles = 0,
    long AlreadyCorrectBytes = 0);
