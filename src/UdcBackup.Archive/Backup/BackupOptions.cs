namespace UdcBackup.Archive.Backup;

/// <summary>What a backup records besides the entries; cloned by the session on start.</summary>
public sealed record BackupOptions
{
    /// <summary>The source paths named in the manifest (for a local backup, the folders backed up).</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Host recorded in the manifest; the machine name when null.</summary>
    public string? Host { get; init; }

    /// <summary>
    /// Parent snapshot id (or prefix) whose unchanged files are reused without reading them.
    /// Null picks the newest snapshot with the same host and paths; "none" forces a full backup.
    /// </summary>
    public string? Parent { get; init; }

    /// <summary>Patterns of paths to leave out of a local backup (see <see cref="ExcludeFilter"/>); not recorded in the snapshot.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>Compress/encrypt workers; defaults to the processor count.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;
}
