using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// One entry travelling between hosts: its metadata, and for a file its content as a stream.
/// <see cref="ArchiveEntry.Content"/> of <see cref="Header"/> is ignored (chunks are a repository
/// detail); for a sparse file <see cref="Extents"/> lists the data regions and <see cref="Content"/>
/// yields exactly their bytes, back to back. Content must be read before the next entry is asked for.
/// </summary>
public sealed record StreamedEntry(ArchiveEntry Header, IReadOnlyList<DataExtent>? Extents, Stream? Content);
