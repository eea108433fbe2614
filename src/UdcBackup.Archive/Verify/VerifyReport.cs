using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Verify;

/// <summary>The findings of a repository check. <see cref="IsClean"/> is what scripts test.</summary>
public sealed class VerifyReport
{
    public int Packs { get; set; }

    public int Blobs { get; set; }

    public int Snapshots { get; set; }

    public int IndexFiles { get; set; }

    public long BytesRead { get; set; }

    public bool DataRead { get; set; }

    /// <summary>Structural problems (missing packs, index/pack disagreement, missing blobs).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Harmless leftovers, e.g. packs of an interrupted backup that the next backup reuses.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Blobs whose stored bytes fail authentication or their hash, with the files that use them.</summary>
    public List<DamagedBlob> DamagedBlobs { get; } = [];

    public bool IsClean => Errors.Count == 0 && DamagedBlobs.Count == 0;

    /// <summary>A damaged blob and every "snapshot-id:path" that references it.</summary>
    public sealed record DamagedBlob(BlobId Id, BlobId Pack, string Reason)
    {
        public List<string> AffectedFiles { get; } = [];
    }
}
