namespace UdcBackup.Archive.Restore;

/// <summary>What a restore did: what it wrote, and what it left alone because the target already had it.</summary>
public sealed class RestoreResult
{
    public long FilesRestored { get; set; }

    /// <summary>Files left alone because they were already correct or the policy said so.</summary>
    public long FilesSkipped { get; set; }

    /// <summary>
    /// Of <see cref="FilesSkipped"/>, the files the target already held as the snapshot has them
    /// (a resumed or repeated restore), so a restore that wrote nothing is told apart from an empty one.
    /// </summary>
    public long FilesAlreadyCorrect { get; set; }

    /// <summary>Size of the <see cref="FilesAlreadyCorrect"/>.</summary>
    public long BytesAlreadyCorrect { get; set; }

    public long Directories { get; set; }

    public long BytesWritten { get; set; }

    public List<string> Warnings { get; } = [];

    /// <summary>Files not written because a chunk of them is damaged, with the reason.</summary>
    public List<string> DamagedFiles { get; } = [];
}
