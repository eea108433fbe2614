using UdcBackup.Archive.Restore;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// One line of a transfer's NDJSON answer: <c>resume</c> and <c>progress</c> carry
/// <see cref="Progress"/>; the last line is <c>result</c> (with <see cref="Backup"/> or
/// <see cref="Restore"/>) or <c>error</c> (<see cref="TransferError"/>, whose <c>type</c> names
/// damaged data). Absent members are left out of the JSON.
/// </summary>
public sealed record TransferLine(string Type)
{
    public const string ResumeType = "resume";
    public const string ProgressType = "progress";
    public const string ResultType = "result";
    public const string ErrorType = "error";

    public TransferCounters? Progress { get; init; }

    public BackupStreamResult? Backup { get; init; }

    public RestoreResult? Restore { get; init; }

    public TransferError? Error { get; init; }
}
