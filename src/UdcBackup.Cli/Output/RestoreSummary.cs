using System.Globalization;

namespace UdcBackup.Cli.Output;

/// <summary>
/// What a restore wrote and what it found already correct, in one phrase
/// ("0 B written, 0 files; 412 files (1.2 GiB) already correct"): a restore onto a system that
/// already holds the snapshot writes nothing, and "0 B 0 files" alone reads as an empty snapshot.
/// </summary>
internal static class RestoreSummary
{
    public static string Text(long bytesWritten, long filesWritten, long filesAlreadyCorrect, long bytesAlreadyCorrect) =>
        string.Create(CultureInfo.InvariantCulture, $"{JobView.Size(bytesWritten)} written, {filesWritten:N0} files{AlreadyCorrect(filesAlreadyCorrect, bytesAlreadyCorrect)}");

    /// <summary>"; 412 files (1.2 GiB) already correct", or nothing when no file was.</summary>
    public static string AlreadyCorrect(long files, long bytes) =>
        files > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {files:N0} files ({JobView.Size(bytes)}) already correct") : string.Empty;
}
