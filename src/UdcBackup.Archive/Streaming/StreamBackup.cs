using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// A backup fed from a stream of entries (e.g. <see cref="EntryStreamReader"/> over a network
/// connection from a disk agent). Files unchanged since the parent snapshot are taken from it
/// without chunking their content (the reader drains it). If the stream fails, nothing is
/// committed: the session is abandoned and its packs are reused by the next backup.
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
                if (!session.TryReuseUnchanged(entry.Header))
                {
                    await session.AddFileAsync(entry.Header, entry.Content, entry.Extents, ct);
                }
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
}
