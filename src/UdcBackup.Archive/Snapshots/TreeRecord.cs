namespace UdcBackup.Archive.Snapshots;

/// <summary>
/// The fields of one encoded entry record, read in place by <see cref="TreeCodec.ReadRecord"/>
/// without allocating: the numbers, and where the path, link target and chunk list lie in the
/// stream. Lets a backup compare a parent's entry with a fresh stat and copy the record's bytes
/// when nothing differs, instead of decoding and re-encoding it.
/// </summary>
internal readonly record struct TreeRecord
{
    public int Offset { get; init; }

    public int Length { get; init; }

    public EntryType Type { get; init; }

    public int PathOffset { get; init; }

    public int PathLength { get; init; }

    public uint Mode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public long ModifiedNs { get; init; }

    public long Size { get; init; }

    public ulong Inode { get; init; }

    public ulong Device { get; init; }

    public long ChangedNs { get; init; }

    public byte Flags { get; init; }

    public int LinkOffset { get; init; }

    public int LinkLength { get; init; }

    /// <summary>Where the attribute count (then the attributes) starts in the stream.</summary>
    public int XattrsOffset { get; init; }

    public uint RdevMajor { get; init; }

    public uint RdevMinor { get; init; }

    public int ChunkCount { get; init; }

    /// <summary>Where the first chunk (offset, length, 32-byte id) starts in the stream.</summary>
    public int ChunksOffset { get; init; }
}
