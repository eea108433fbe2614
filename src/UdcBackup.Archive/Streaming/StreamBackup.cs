using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// A backup fed from a stream of entries (e.g. <see cref="EntryStreamReader"/> over a network
/// connection from a disk agent). Files unchanged since the parent snapshot are taken from it
/// without chunking their content (the reader drains it). A file the sender says changed while it
/// was read (<see cref="StreamedEntry.ChangedWhileRead"/>) is stored as it arrived, with the stat
/// from before the read, marked <see cref="ArchiveEntry.ChangedDuringBackup"/> (so the next
/// incremental re-reads it) and named in the snapshot's warnings, as the local backup does. If the
/// stream fails, nothing is committed: the session is abandoned and its packs are reused by the
/// next backup.
/// </summary>
public static class StreamBackup
{
    public static async Task<Snapshot> RunAsync(ArchiveRepository repository, BackupOptions options, IAsyncEnumerable<StreamedEntry> entries, CancellationToken ct, BackupStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await using var session = BackupSession.Start(repository, options, statistics);
        await foreach (var entry in entries.WithCancellation(ct))
        {
            if (entry.Header.Type == EntryType.File && entry.Content is not null)
            {
                if (!session.TryGetUnchanged(entry.Header, out var stored))
                {
                    stored = await session.StoreContentAsync(entry.Header, entry.Content, entry.Extents, ct);
                }

                session.Add(await MarkIfChangedAsync(entry, stored, session.Warn, ct));
            }
            else
            {
                session.Add(entry.Header with { Content = [] });
            }
        }

        return await session.CommitAsync(ct);
    }

    /// <summary>Reads the framed wire format from <paramref name="input"/> into a new snapshot.</summary>
    public static Task<Snapshot> RunAsync(ArchiveRepository repository, BackupOptions options, Stream input, CancellationToken ct) =>
        RunAsync(repository, options, new EntryStreamReader(input).ReadAllAsync(ct), ct);

    /// <summary>
    /// <paramref name="stored"/> marked <see cref="ArchiveEntry.ChangedDuringBackup"/>, with a
    /// warning, when the sender says the file changed while it was read; as it is otherwise.
    /// Asks after the content was consumed (the answer follows the content on the wire).
    /// </summary>
    public static async ValueTask<ArchiveEntry> MarkIfChangedAsync(StreamedEntry entry, ArchiveEntry stored, Action<string> warn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(warn);
        if (entry.ChangedWhileRead is not { } check || !await check(ct))
        {
            return stored;
        }

        warn(ChangedWarning(stored));
        return stored with { ChangedDuringBackup = true };
    }

    /// <summary>The warning for a file the sender read while it changed (also used when a session seals such entries).</summary>
    public static string ChangedWarning(ArchiveEntry stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return $"'{stored.Path}' changed while it was read at the source; stored {stored.Size} bytes as read";
    }
}
