using UdcBackup.Archive.Native;

namespace UdcBackup.Archive.Format;

/// <summary>
/// Decides per blob whether to store it compressed, and compresses it. The rule of the format:
/// the zstd frame is kept only when it is shorter than <c>length - length / 32</c>; blobs under
/// 64 bytes stay raw. Before spending a full compression on a large blob, a probe compresses an
/// evenly spread sample (<see cref="SliceSize"/> bytes out of every <see cref="SliceStride"/>) at
/// level 1; when the sample saves less than 1/64 the blob is taken for incompressible (random,
/// already compressed or encrypted data) and stored raw without trying. A run of zeros or any
/// other compressible stretch longer than one stride always covers a whole slice, so a blob that
/// mixes random data with such runs still gets compressed; only stretches shorter than a stride,
/// which would save little, can be missed. Not thread-safe: one instance per worker.
/// </summary>
public sealed class BlobCompressor : IDisposable
{
    /// <summary>Blobs shorter than this are compressed without a probe (the probe would cost as much).</summary>
    public const int ProbeThreshold = 4 * SliceStride;

    /// <summary>Bytes taken from each stride for the sample.</summary>
    public const int SliceSize = 2 * 1024;

    /// <summary>Distance between the starts of two sample slices.</summary>
    public const int SliceStride = 32 * 1024;

    private const int MinimumCompressible = 64;
    private const int ProbeLevel = 1;
    private readonly Zstd _zstd;

    public BlobCompressor(int level) => _zstd = new Zstd(level);

    /// <summary>Blobs the probe declared incompressible (stored raw without a full compression).</summary>
    public long Skipped { get; private set; }

    /// <summary>Space the destination of <see cref="TryCompress"/> must offer for a blob of <paramref name="length"/> bytes.</summary>
    public static int DestinationSize(int length) => Zstd.CompressBound(length);

    /// <summary>True when the format keeps a frame of <paramref name="compressedLength"/> for <paramref name="rawLength"/> bytes.</summary>
    private static bool Pays(int compressedLength, int rawLength) => compressedLength < rawLength - (rawLength / 32);

    /// <summary>
    /// Compresses <paramref name="plain"/> into <paramref name="destination"/> (at least
    /// <see cref="DestinationSize"/> bytes) when that pays; returns the frame length, or -1 when the
    /// blob is to be stored raw (destination content is then undefined).
    /// </summary>
    public int TryCompress(ReadOnlySpan<byte> plain, Span<byte> destination)
    {
        if (plain.Length < MinimumCompressible)
        {
            return -1;
        }

        if (plain.Length >= ProbeThreshold && !SampleCompresses(plain, destination))
        {
            Skipped++;
            return -1;
        }

        var length = _zstd.Compress(plain, destination);
        return Pays(length, plain.Length) ? length : -1;
    }

    public void Dispose() => _zstd.Dispose();

    /// <summary>
    /// Gathers the sample at the start of <paramref name="scratch"/> and compresses it into the
    /// rest: the destination is large enough for the whole blob, so it holds both.
    /// </summary>
    private bool SampleCompresses(ReadOnlySpan<byte> plain, Span<byte> scratch)
    {
        var sampled = 0;
        for (var offset = 0; offset + SliceSize <= plain.Length; offset += SliceStride)
        {
            plain.Slice(offset, SliceSize).CopyTo(scratch[sampled..]);
            sampled += SliceSize;
        }

        var sample = scratch[..sampled];
        var compressed = _zstd.Compress(sample, scratch[sampled..], ProbeLevel);
        return compressed < sampled - (sampled / 64);
    }
}
