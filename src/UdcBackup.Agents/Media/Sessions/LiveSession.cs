using UdcBackup.Archive.Backup;

namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// The in-memory part of a backup session: one archive <see cref="BackupSession"/> (its pack
/// pipeline and shared repository lock) that stores the content of every stream until the seal,
/// the files stored so far by any stream or attempt, and the parent's reusable files. Its
/// <see cref="Epoch"/> changes whenever it is rebuilt from the journals, so a disk agent that
/// planned against an older held set is told to open again.
/// </summary>
internal sealed class LiveSession(BackupSession archive, long epoch) : IAsyncDisposable
{
    public BackupSession Archive { get; } = archive;

    public long Epoch { get; } = epoch;

    /// <summary>Set when the archive pipeline failed: the session must be rebuilt before more data is taken.</summary>
    public bool Broken { get; set; }

    public Dictionary<string, HeldEntry> Held { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, HeldFile> ParentHeld { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset LastUsed { get; set; }

    public ValueTask DisposeAsync() => Archive.DisposeAsync();
}
