using UdcBackup.Agents.Hosting;
using UdcBackup.Archive;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// Reads one stream attempt into a live session: a file the session already holds with the same
/// fingerprint takes the held chunks, a file unchanged since the parent takes the parent's, every
/// other file is chunked and stored; each entry is journaled as soon as it is stored, marked
/// <see cref="ArchiveEntry.ChangedDuringBackup"/> when the stream says it changed while read (such
/// a file is never held: a later attempt or backup sends it again). Content is
/// stored without the request's cancellation (a blob claimed by the pipeline is always posted), so
/// a cut connection ends the attempt at a file boundary with everything before it kept.
/// </summary>
internal static class SessionStreamReceiver
{
    /// <summary>The read buffer between the request body and the entry stream reader.</summary>
    public const int ReceiveBufferSize = 256 * 1024;

    public static async Task<StreamReceipt> ReceiveAsync(LiveSession live, SessionStreamRecord stream, string journalPath, Stream body, CancellationToken ct)
    {
        long files = 0, bytes = 0, received = 0, heldFiles = 0, heldBytes = 0;
        var changed = new List<string>();
        using var journal = new SessionJournal(journalPath);

        // The reader takes each frame's kind and length a byte at a time; straight from the
        // request body every such byte is an async read through Kestrel's HTTP/2 pipe. A buffer
        // in between turns those into memory copies (frames larger than it are read directly).
        // Not disposed: that would dispose the request body, which Kestrel owns.
        var buffered = new BufferedStream(body, ReceiveBufferSize);
        await foreach (var entry in new EntryStreamReader(buffered).ReadAllAsync(ct))
        {
            var header = entry.Header;
            ArchiveEntry stored;
            if (header.Type == EntryType.File && entry.Content is not null)
            {
                files++;
                bytes += header.Size;
                if (live.Held.TryGetValue(header.Path, out var held) && HeldFile.Of(held.Entry).Matches(header))
                {
                    stored = header with { Content = held.Entry.Content, Sparse = held.Entry.Sparse };
                    heldFiles++;
                    heldBytes += header.Size;
                }
                else if (live.ParentHeld.TryGetValue(header.Path, out var fingerprint) && fingerprint.Matches(header))
                {
                    if (!live.Archive.TryGetUnchanged(header, out stored))
                    {
                        throw new SessionException(409, $"'{header.Path}' was offered as unchanged since the parent but the parent's copy is not usable");
                    }

                    heldFiles++;
                    heldBytes += header.Size;
                }
                else
                {
                    var counted = new CountingReadStream(entry.Content, n => received += n);
                    stored = await live.Archive.StoreContentAsync(header, counted, entry.Extents, CancellationToken.None);
                }

                // The seal warns from the journaled mark, so a rebuilt session still does.
                stored = await StreamBackup.MarkIfChangedAsync(entry, stored, _ => changed.Add(header.Path), ct);

                if (!stored.ChangedDuringBackup)
                {
                    live.Held[header.Path] = new HeldEntry(stored, stream.Name);
                }
            }
            else
            {
                stored = header with { Content = [] };
            }

            journal.Append(stored);
        }

        journal.Complete();
        return new StreamReceipt(stream.Name, files, bytes, received, heldFiles, heldBytes) { Changed = changed };
    }

    /// <summary>Failures of the connection or the sender (the session stays usable), as opposed to the archive's.</summary>
    public static bool IsBrokenStream(Exception ex) =>
        ex is InvalidDataException or IOException or OperationCanceledException
        || (ex is ArchiveException archive && archive.Code == ArchiveErrorCode.IoFailure);
}
