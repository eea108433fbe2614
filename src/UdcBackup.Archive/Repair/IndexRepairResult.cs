using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Repair;

/// <summary>What a rebuild of the index did. <see cref="IsClean"/> is what scripts test.</summary>
public sealed class IndexRepairResult
{
    /// <summary>The index file written (it lists no pack when the repository holds none).</summary>
    public BlobId IndexFile { get; set; }

    /// <summary>Packs listed in the new index file from their own headers.</summary>
    public int Packs { get; set; }

    /// <summary>Blobs those packs hold.</summary>
    public long Blobs { get; set; }

    /// <summary>Names of the index files the new one replaced (deleted), damaged ones included.</summary>
    public List<string> RemovedIndexFiles { get; } = [];

    /// <summary>Packs whose header cannot be read (or that are missing): not indexed from their header, left in place.</summary>
    public List<DamagedPack> DamagedPacks { get; } = [];

    public bool IsClean => DamagedPacks.Count == 0;

    /// <summary>
    /// A pack that could not be indexed from its header. <paramref name="KeptFromIndex"/>: a readable
    /// index file listed it, and the new index keeps that listing (its blobs stay reachable as before).
    /// </summary>
    public sealed record DamagedPack(BlobId Pack, string Reason, bool KeptFromIndex);
}
