using System.Runtime.CompilerServices;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.IO;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Restore;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// A snapshot (or the entries matching include patterns) as a stream of entries, for a restore
/// that crosses the network: <c>EntryStreamWriter.WriteAllAsync(SnapshotSource.ReadAsync(...), network)</c>.
/// File content is decoded chunk by chunk as it is read, every chunk authenticated and hash-checked;
/// a damaged chunk makes the content stream throw <see cref="InvalidDataException"/> naming the file.
/// </summary>
public static class SnapshotSource
{
    public static async IAsyncEnumerable<StreamedEntry> ReadAsync(ArchiveRepository repository, Snapshot snapshot, IReadOnlyList<string> includes, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(includes);
        var patterns = includes.Select(p => new PathPattern(p)).ToList();
        foreach (var entry in SnapshotReader.ReadEntries(repository, snapshot))
        {
            ct.ThrowIfCancellationRequested();
            if (!PathPattern.AnyMatches(patterns, entry.Path))
            {
                continue;
            }

            if (entry.Type != EntryType.File)
            {
                yield return new StreamedEntry(entry with { Content = [] }, null, null);
                continue;
            }

            var extents = entry.Sparse ? Extents(entry) : null;
            if (extents is { Count: 0 } && entry.Size > 0)
            {
                // All hole: the wire's extent count 0 means "not sparse" (the receiver would wait
                // for Size bytes that never come), so send the last byte, a hole's zero, as the one
                // data region, as the disk agent does when it streams such a file.
                await using var lastByte = new MemoryStream(new byte[1], writable: false);
                yield return new StreamedEntry(entry, [new DataExtent(entry.Size - 1, 1)], lastByte);
                continue;
            }

            await using var content = new ChunkContentStream(repository, entry);
            yield return new StreamedEntry(entry, extents, content);
        }
    }

    /// <summary>Data regions of a sparse entry: runs of adjacent chunks.</summary>
    private static List<DataExtent> Extents(ArchiveEntry entry)
    {
        var extents = new List<DataExtent>();
        foreach (var chunk in entry.Content)
        {
            if (extents.Count > 0 && extents[^1].Offset + extents[^1].Length == chunk.Offset)
            {
                extents[^1] = extents[^1] with { Length = extents[^1].Length + chunk.Length };
            }
            else
            {
                extents.Add(new DataExtent(chunk.Offset, chunk.Length));
            }
        }

        return extents;
    }

    private sealed class ChunkContentStream(ArchiveRepository repository, ArchiveEntry entry) : ReadOnlyStream
    {
        private int _chunk;
        private byte[] _data = [];
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            while (_position == _data.Length)
            {
                if (_chunk == entry.Content.Count)
                {
                    return 0;
                }

                var chunk = entry.Content[_chunk++];
                try
                {
                    _data = repository.ReadBlob(chunk.Id);
                }
                catch (InvalidDataException ex)
                {
                    throw new InvalidDataException($"'{entry.Path}' cannot be read: {ex.Message}", ex);
                }

                _position = 0;
            }

            var count = Math.Min(buffer.Length, _data.Length - _position);
            _data.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }
    }
}
