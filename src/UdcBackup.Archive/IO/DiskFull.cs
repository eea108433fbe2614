namespace UdcBackup.Archive.IO;

/// <summary>
/// Recognizes a write that failed because its file system is full (ENOSPC, also when it has no
/// inodes left) or the quota is used up (EDQUOT), and turns it into an
/// <see cref="ArchiveErrorCode.NoSpace"/> error that names the full folder and says what was kept.
/// The bare error names some temp file and reads like any I/O failure, which a caller may retry or
/// take for an unreadable source file; this one no retry helps until space is freed.
/// </summary>
internal static class DiskFull
{
    // .NET reports an errno it has no exception type for as the IOException's HResult.
    private const int NoSpaceLeft = 28;
    private const int QuotaExceeded = 122;

    public static bool Is(Exception ex) => ex is IOException { HResult: NoSpaceLeft or QuotaExceeded };

    /// <summary>The error for the repository at <paramref name="root"/>; <paramref name="consequence"/> says what was kept and what to do.</summary>
    public static ArchiveException InRepository(string root, Exception ex, string consequence) =>
        new(ArchiveErrorCode.NoSpace, $"No space left in the repository {root} ({ex.Message}). {consequence}", ex);

    /// <summary>The error for the restore target <paramref name="target"/>.</summary>
    public static ArchiveException InRestoreTarget(string target, Exception ex, string consequence) =>
        new(ArchiveErrorCode.NoSpace, $"No space left in the restore target {target} ({ex.Message}). {consequence}", ex);
}
