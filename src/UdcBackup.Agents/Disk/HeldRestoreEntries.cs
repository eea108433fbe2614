using System.Runtime.CompilerServices;
using UdcBackup.Agents.Media;
using UdcBackup.Archive.Restore;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// The disk agent's side of a resumed restore: a file entry whose path was offered as held, that
/// announces content (size above zero) and arrives with none, is the media agent saying "you have
/// it": the entry is left out of the restore, the target keeps its verified copy, and its size
/// counts as resumed and, in <c>alreadyCorrect</c>, as a file the restore found already correct.
/// Any other entry goes on unchanged (the bytes read to find out are replayed).
/// A file not offered never loses its content: an empty content for it reaches the restorer,
/// which refuses a short file.
/// </summary>
internal static class HeldRestoreEntries
{
    public static async IAsyncEnumerable<StreamedEntry> KeepHeldAsync(IAsyncEnumerable<StreamedEntry> entries, IReadOnlyList<RestoreHeldFile> offered, ProgressTracker? tracker, RestoreResult alreadyCorrect, [EnumeratorCancellation] CancellationToken ct)
    {
        var paths = offered.Select(o => o.Path).ToHashSet(StringComparer.Ordinal);
        var first = new byte[1 << 16];
        await foreach (var entry in entries.WithCancellation(ct))
        {
            var header = entry.Header;
            if (entry.Content is null || header.Type != EntryType.File || header.Size == 0 || !paths.Contains(header.Path))
            {
                yield return entry;
                continue;
            }

            var read = await entry.Content.ReadAsync(first, ct);
            if (read == 0)
            {
                tracker?.Resumed(header.Size);
                tracker?.FileDone();
                alreadyCorrect.FilesSkipped++;
                alreadyCorrect.FilesAlreadyCorrect++;
                alreadyCorrect.BytesAlreadyCorrect += header.Size;
                continue;
            }

            yield return entry with { Content = new ReplayStream(first.AsMemory(0, read), entry.Content) };
        }
    }

    /// <summary>Reads the bytes already taken from the entry's content, then the rest of it.</summary>
    private sealed class ReplayStream(ReadOnlyMemory<byte> taken, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _taken = taken;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_taken.IsEmpty)
            {
                return await rest.ReadAsync(buffer, cancellationToken);
            }

            var count = Math.Min(buffer.Length, _taken.Length);
            _taken[..count].CopyTo(buffer);
            _taken = _taken[count..];
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read entry content asynchronously");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
