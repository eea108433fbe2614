namespace UdcBackup.Agents.Disk;

/// <summary>
/// Running totals of a transfer: <see cref="Bytes"/>/<see cref="Files"/> done so far (sent or
/// skipped), <see cref="SentBytes"/> actually sent on this attempt, and what was skipped because
/// the media agent already held it (<see cref="ResumedBytes"/>/<see cref="ResumedFiles"/>), and
/// files that changed while they were read (<see cref="ChangedFiles"/>: sent as read, named in the
/// warnings, marked by a media agent that takes entry stream version 2).
/// </summary>
public sealed record TransferCounters
{
    public long Bytes { get; init; }

    public long Files { get; init; }

    public long SentBytes { get; init; }

    public long ResumedBytes { get; init; }

    public long ResumedFiles { get; init; }

    public long ChangedFiles { get; init; }
}
