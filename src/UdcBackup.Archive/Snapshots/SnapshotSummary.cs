using System.Text.Json.Serialization;

namespace UdcBackup.Archive.Snapshots;

/// <summary>Counts recorded with a snapshot, for listings and catalogs.</summary>
public sealed class SnapshotSummary
{
    [JsonPropertyName("files")]
    public long Files { get; set; }

    [JsonPropertyName("dirs")]
    public long Directories { get; set; }

    [JsonPropertyName("bytes")]
    public long Bytes { get; set; }

    /// <summary>Files whose content was read (not taken unchanged from the parent).</summary>
    [JsonPropertyName("files_read")]
    public long FilesRead { get; set; }

    [JsonPropertyName("new_blobs")]
    public long NewBlobs { get; set; }

    /// <summary>Plaintext bytes of blobs this backup added to the repository.</summary>
    [JsonPropertyName("new_bytes")]
    public long NewBytes { get; set; }

    /// <summary>Bytes this backup wrote into packs (compressed, sealed).</summary>
    [JsonPropertyName("stored_bytes")]
    public long StoredBytes { get; set; }

    [JsonPropertyName("duration_seconds")]
    public double DurationSeconds { get; set; }

    [JsonPropertyName("warnings")]
    public List<string> Warnings { get; set; } = [];
}
