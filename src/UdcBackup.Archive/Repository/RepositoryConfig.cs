using System.Text.Json.Serialization;

namespace UdcBackup.Archive.Repository;

/// <summary>
/// The plaintext <c>config</c> file: format version and the parameters every writer must share
/// so that identical content yields identical chunks (dedup across writers). It holds no secret.
/// </summary>
public sealed class RepositoryConfig
{
    public const string Format = "udc-archive";

    [JsonPropertyName("format")]
    public string FormatName { get; init; } = Format;

    [JsonPropertyName("version")]
    public int Version { get; init; } = 1;

    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; init; }

    [JsonPropertyName("chunk_min")]
    public int ChunkMin { get; init; } = 256 * 1024;

    [JsonPropertyName("chunk_avg")]
    public int ChunkAverage { get; init; } = 1024 * 1024;

    [JsonPropertyName("chunk_max")]
    public int ChunkMax { get; init; } = 4 * 1024 * 1024;

    [JsonPropertyName("pack_size")]
    public int PackSize { get; init; } = 16 * 1024 * 1024;

    [JsonPropertyName("compression")]
    public string Compression { get; init; } = "zstd";

    [JsonPropertyName("compression_level")]
    public int CompressionLevel { get; init; } = 3;
}
