namespace UdcBackup.Archive.Restore;

/// <summary>What a restore did.</summary>
public sealed class RestoreResult
{
    public long FilesRestored { get; set; }

    /// <summary>Files left alone because they were already correct or the policy said so.</summary>
    public long FilesSkipped { get; set; }

    public long Directories { get; set; }

    public long BytesWritten { get; set; }

    public List<string> Warnings { get; } = [];

    /// <summary>Files not written because a chunk of them is damaged, with the reason.</summary>
    public List<string> DamagedFiles { get; } = [];
}
