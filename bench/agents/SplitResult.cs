namespace UdcBackup.Agents.Bench;

/// <summary>CPU seconds (one thread) and bytes of <see cref="ChunkCompressSplit.Measure"/>.</summary>
internal sealed class SplitResult
{
    public long Chunks { get; set; }

    public long RawBytes { get; set; }

    public long PayloadBytes { get; set; }

    public long NewRawBytes { get; set; }

    public long NewPayloadBytes { get; set; }

    public double ReadCpu { get; set; }

    public double CutCpu { get; set; }

    public double CompressCpu { get; set; }

    public double CompressNewCpu { get; set; }

    public double DecompressCpu { get; set; }

    public double HashCpu { get; set; }

    public double SealNewCpu { get; set; }

    /// <summary>What the disk agent would add: cut and compress every chunk it sends.</summary>
    public double DiskAddsCpu => CutCpu + CompressCpu;

    /// <summary>What the media agent would still do per chunk: decompress, hash, seal the new ones.</summary>
    public double MediaKeepsCpu => DecompressCpu + HashCpu + SealNewCpu;

    /// <summary>What today's media agent does per chunk: cut, hash, compress and seal the new ones.</summary>
    public double MediaTodayCpu => CutCpu + HashCpu + CompressNewCpu + SealNewCpu;
}
