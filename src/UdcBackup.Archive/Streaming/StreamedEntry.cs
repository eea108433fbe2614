using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// One entry travelling between hosts: its metadata, and for a file its content as a stream.
/// <see cref="ArchiveEntry.Content"/> of <see cref="Header"/> is ignored (chunks are a repository
/// detail); for a sparse file <see cref="Extents"/> lists the data regions and <see cref="Content"/>
/// yields exactly their bytes, back to back. Content must be read before the next entry is asked for.
/// </summary>
public sealed record StreamedEntry(ArchiveEntry Header, IReadOnlyList<DataExtent>? Extents, Stream? Content)
{
    /// <summary>
    /// For a file: whether it changed while its content was read at the source, asked once the
    /// consumer is done with <see cref="Content"/> and before the next entry. The sending side's
    /// source answers from a stat after the read (<see cref="FileSystemSource"/>); the receiving
    /// side's <see cref="EntryStreamReader"/> from the stream's entry-end frame, after reading
    /// (and verifying) any content left unread. Null when nobody can tell (a version 1 stream, a
    /// file whose content was not read). The answer is the same however often it is asked.
    /// </summary>
    public Func<CancellationToken, ValueTask<bool>>? ChangedWhileRead { get; init; }
}
