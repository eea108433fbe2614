using System.Text.Json.Serialization;
using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Snapshots;

/// <summary>
/// The manifest of one backup, stored sealed as JSON in <c>snapshots/&lt;sha256&gt;</c>. The entries
/// themselves live in tree blobs (<see cref="Tree"/>, in order), so the manifest stays small and
/// listing snapshots never touches packs.
/// </summary>
public sealed class Snapshot
{
    [JsonIgnore]
    public BlobId Id { get; set; }

    [JsonPropertyName("version")]
    public int Version { get; init; } = 1;

    [JsonPropertyName("time")]
    public DateTimeOffset Time { get; init; }

    [JsonPropertyName("host")]
    public string Host { get; init; } = "";

    [JsonPropertyName("paths")]
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Catalog tags such as system, job, tier.</summary>
    [JsonPropertyName("tags")]
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>"full" or "incremental" (a parent was used to skip unchanged files).</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; init; } = "full";

    [JsonPropertyName("parent")]
    public string? Parent { get; init; }

    /// <summary>Ids of the tree blobs whose concatenated plaintext is the entry stream.</summary>
    [JsonPropertyName("tree")]
    public IReadOnlyList<string> Tree { get; init; } = [];

    [JsonPropertyName("summary")]
    public SnapshotSummary Summary { get; init; } = new();

    [JsonIgnore]
    public string ShortId => Id.ShortHex;
}
