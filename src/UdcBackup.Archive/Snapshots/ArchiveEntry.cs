namespace UdcBackup.Archive.Snapshots;

/// <summary>
/// One filesystem object in a snapshot, with the metadata a faithful restore needs. Paths are
/// relative, '/'-separated and never start with '/'; a backup of <c>/srv/app</c> stores
/// <c>srv/app/...</c>. <see cref="Inode"/>, <see cref="Device"/> and <see cref="ChangedNs"/> are
/// recorded only to detect unchanged files in the next backup; restore ignores them.
/// </summary>
public sealed record ArchiveEntry
{
    public required string Path { get; init; }

    public required EntryType Type { get; init; }

    /// <summary>Permission bits (including setuid, setgid, sticky); the file type bits are not stored here.</summary>
    public uint Mode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    /// <summary>Modification time in nanoseconds since the Unix epoch.</summary>
    public long ModifiedNs { get; init; }

    /// <summary>Logical size of a file (holes included).</summary>
    public long Size { get; init; }

    /// <summary>Symlink target (as stored, never followed) or, for a hardlink, the path it links to.</summary>
    public string? LinkTarget { get; init; }

    public ulong Inode { get; init; }

    public ulong Device { get; init; }

    public long ChangedNs { get; init; }

    public uint RdevMajor { get; init; }

    public uint RdevMinor { get; init; }

    /// <summary>The file had holes; restore recreates them instead of writing zeros.</summary>
    public bool Sparse { get; init; }

    /// <summary>The file changed while it was read; the stored content is what was read.</summary>
    public bool ChangedDuringBackup { get; init; }

    public IReadOnlyDictionary<string, byte[]> Xattrs { get; init; } = Empty;

    /// <summary>Chunks of a file in offset order; gaps between them are holes.</summary>
    public IReadOnlyList<ChunkRef> Content { get; init; } = [];

    private static readonly IReadOnlyDictionary<string, byte[]> Empty = new Dictionary<string, byte[]>();
}
