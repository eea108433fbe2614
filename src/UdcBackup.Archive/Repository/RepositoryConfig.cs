using System.Text.Json.Serialization;
using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Repository;

/// <summary>
/// The plaintext <c>config</c> file: format version and the parameters every writer must share
/// so that identical content yields identical chunks (dedup across writers). It holds no secret.
/// </summary>
public sealed class RepositoryConfig
{
    public const string Format = "udc-archive";

    /// <summary>The format new repositories get; <see cref="IsReadable"/> lists every one still read and written.</summary>
    public const int CurrentVersion = 3;

    [JsonPropertyName("format")]
    public string FormatName { get; init; } = Format;

    // A config without the member is the first format; Init writes CurrentVersion explicitly.
    [JsonPropertyName("version")]
    public int Version { get; init; } = 1;

    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; init; }

    // New repositories chunk at 128 KiB / 512 KiB / 2 MiB: against 256 KiB / 1 MiB / 4 MiB (still
    // read from the config of older repositories) data repeated in 1 MiB runs deduplicates better
    // (15 MiB less on the benchmark dataset) and every fixed chunk buffer is half the size; the
    // index holds about twice as many entries for large files (about 230 bytes each in memory).
    [JsonPropertyName("chunk_min")]
    public int ChunkMin { get; init; } = 128 * 1024;

    [JsonPropertyName("chunk_avg")]
    public int ChunkAverage { get; init; } = 512 * 1024;

    [JsonPropertyName("chunk_max")]
    public int ChunkMax { get; init; } = 2 * 1024 * 1024;

    [JsonPropertyName("pack_size")]
    public int PackSize { get; init; } = 16 * 1024 * 1024;

    [JsonPropertyName("compression")]
    public string Compression { get; init; } = "zstd";

    /// <summary>
    /// The zstd level new repositories get. Level 1 against 3 on the benchmark dataset: about 0.2 CPU
    /// seconds less per initial backup for 0.9 % more stored bytes (its log text has random ids and
    /// timestamps that leave little for the slower match search), still under restic's size.
    /// Older repositories keep the level their config names.
    /// </summary>
    public const int NewCompressionLevel = 1;

    [JsonPropertyName("compression_level")]
    public int CompressionLevel { get; init; } = 3;

    /// <summary>
    /// Format 2: every blob is sealed with its id as GCM associated data, so an authenticated blob is
    /// the one stored under that id and a restore need not hash it again (verify still does).
    /// </summary>
    [JsonIgnore]
    public bool BindsBlobIds => Version >= 2;

    /// <summary>
    /// Format 2: a pack is named by the SHA-256 of its trailer (sealed header and its length) instead
    /// of the whole file, which saves a hash pass over every stored byte; the blobs are each sealed.
    /// </summary>
    [JsonIgnore]
    public bool NamesPacksByTrailer => Version >= 2;

    /// <summary>
    /// Format 3: a blob's id is the BLAKE3 of its plaintext instead of the SHA-256. Every stored byte
    /// is hashed once per backup, and on this project's benchmark machine BLAKE3 hashes chunks of
    /// 100 KiB and up about 2.5 times as fast (3.65-3.9 GB/s against SHA-256's 1.45-1.48 GB/s with the
    /// SHA extensions; <c>bench/archive/Profile hashes</c>). Packs, snapshots and key files keep SHA-256 names.
    /// </summary>
    [JsonIgnore]
    public bool HashesBlobsWithBlake3 => Version >= 3;

    /// <summary>True for the formats this program reads and writes (1, 2 and 3).</summary>
    [JsonIgnore]
    public bool IsReadable => FormatName == Format && Version is >= 1 and <= 3;

    /// <summary>The id of a blob with plaintext <paramref name="plain"/> in a repository of this format.</summary>
    public BlobId BlobIdOf(ReadOnlySpan<byte> plain) => HashesBlobsWithBlake3 ? BlobId.HashBlake3(plain) : BlobId.Hash(plain);
}
