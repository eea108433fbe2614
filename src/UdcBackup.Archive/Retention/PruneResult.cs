namespace UdcBackup.Archive.Retention;

/// <summary>What a prune removed and rewrote.</summary>
public sealed class PruneResult
{
    public int PacksDeleted { get; set; }

    public int PacksRepacked { get; set; }

    public int PacksWritten { get; set; }

    public long BlobsRemoved { get; set; }

    public long BytesFreed { get; set; }

    public int TempFilesRemoved { get; set; }

    /// <summary>Packs partly unused that were kept whole: the repository had no space to rewrite them.</summary>
    public int PacksNotRepackedForSpace { get; set; }
}
