using System.Buffers;
using System.Runtime.CompilerServices;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// Reads the framed entry wire format written by <see cref="EntryStreamWriter"/>. Files carry their
/// content as a stream that verifies length and check value (SHA-256, or CRC-32C in version 3) at its end and throws
/// <see cref="InvalidDataException"/> on any mismatch, truncation or unknown frame; content a
/// consumer did not read is drained (and still verified) before the next entry is returned.
/// Data frames are read into one pooled buffer per stream, reused frame after frame: content is
/// only ever copied out of it into the consumer's buffer, and a file's content stream is disposed
/// (and refuses reads) before the next entry, so no frame outlives the next read.
/// Versions 1, 2 and 3 are read; from version 2 on the entry-end frame that must follow each file's
/// end-of-content frame answers <see cref="StreamedEntry.ChangedWhileRead"/> (null in version 1).
/// </summary>
public sealed class EntryStreamReader(Stream input)
{
    private readonly byte[] _byte = new byte[1];

    public async IAsyncEnumerable<StreamedEntry> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var magic = new byte[5];
        await input.ReadExactlyAsync(magic, ct);
        if (!magic.AsSpan(0, 4).SequenceEqual(EntryStreamFormat.Magic) || magic[4] is < EntryStreamFormat.Version or > EntryStreamFormat.Latest)
        {
            throw new InvalidDataException("not an entry stream (bad magic or version)");
        }

        var entryEnds = magic[4] >= EntryStreamFormat.VersionWithEntryEnd;

        long count = 0;
        var frame = ArrayPool<byte>.Shared.Rent(EntryStreamFormat.MaxData + 1024);
        try
        {
            while (true)
            {
                var (kind, payload) = await ReadFrameAsync(ct);
                if (kind == EntryStreamFormat.End)
                {
                    var expected = ReadVarint(payload, out _);
                    if ((long)expected != count)
                    {
                        throw new InvalidDataException($"entry stream ended after {count} entries but announces {expected}");
                    }

                    yield break;
                }

                if (kind != EntryStreamFormat.Header)
                {
                    throw new InvalidDataException($"entry stream has frame kind {kind} where an entry header belongs");
                }

                var header = TreeCodec.ReadSingle(payload, out var used);
                var extentCount = (int)ReadVarint(payload.AsSpan(used), out var n);
                used += n;
                List<DataExtent>? extents = null;
                if (extentCount > 0)
                {
                    extents = new List<DataExtent>(extentCount);
                    for (var i = 0; i < extentCount; i++)
                    {
                        var offset = (long)ReadVarint(payload.AsSpan(used), out n);
                        used += n;
                        var length = (long)ReadVarint(payload.AsSpan(used), out n);
                        used += n;
                        extents.Add(new DataExtent(offset, length));
                    }
                }

                count++;
                if (header.Type != EntryType.File)
                {
                    yield return new StreamedEntry(header, null, null);
                    continue;
                }

                await using var content = new FrameContentStream(this, frame, entryEnds, TransitChecksum.For(magic[4]));
                yield return new StreamedEntry(header, extents, content) { ChangedWhileRead = entryEnds ? content.ChangedWhileReadAsync : null };
                await content.DrainAsync(ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>A frame whose payload gets its own array (headers, end frames: small, and a header's decoded entry may keep parts of it).</summary>
    private async Task<(byte Kind, byte[] Payload)> ReadFrameAsync(CancellationToken ct)
    {
        var (kind, length) = await ReadPrefixAsync(ct);
        var payload = new byte[length];
        await input.ReadExactlyAsync(payload, ct);
        return (kind, payload);
    }

    /// <summary>A frame's kind and payload length; the payload is left in the input.</summary>
    private async ValueTask<(byte Kind, int Length)> ReadPrefixAsync(CancellationToken ct)
    {
        await input.ReadExactlyAsync(_byte, ct);
        var kind = _byte[0];
        ulong length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 28)
            {
                throw new InvalidDataException("entry stream frame length is too large");
            }

            await input.ReadExactlyAsync(_byte, ct);
            length |= (ulong)(_byte[0] & 0x7F) << shift;
            if (_byte[0] < 0x80)
            {
                break;
            }
        }

        if ((length > EntryStreamFormat.MaxData + 1024 && kind != EntryStreamFormat.Header) || length > int.MaxValue)
        {
            throw new InvalidDataException($"entry stream frame of {length} bytes exceeds the limit");
        }

        return (kind, (int)length);
    }

    private ValueTask ReadPayloadAsync(Memory<byte> payload, CancellationToken ct) => input.ReadExactlyAsync(payload, ct);

    internal static ulong ReadVarint(ReadOnlySpan<byte> data, out int consumed)
    {
        ulong value = 0;
        for (var i = 0; i < Math.Min(10, data.Length); i++)
        {
            value |= (ulong)(data[i] & 0x7F) << (7 * i);
            if (data[i] < 0x80)
            {
                consumed = i + 1;
                return value;
            }
        }

        throw new InvalidDataException("entry stream has a truncated varint");
    }

    /// <summary>The content of one file: data frames until the end-of-content frame, verified there (then, in version 2, its entry-end frame).</summary>
    private sealed class FrameContentStream(EntryStreamReader reader, byte[] frame, bool entryEnd, TransitChecksum check) : Stream
    {
        private int _length;
        private int _position;
        private long _total;
        private bool _done;
        private bool _disposed;
        private bool _changed;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == _length && !await NextFrameAsync(cancellationToken))
            {
                return 0;
            }

            var count = Math.Min(buffer.Length, _length - _position);
            frame.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        /// <summary>Reads frames into the shared buffer until one has data; false at the verified end of content.</summary>
        private async ValueTask<bool> NextFrameAsync(CancellationToken ct)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (!_done)
            {
                var (kind, length) = await reader.ReadPrefixAsync(ct);
                if (kind != EntryStreamFormat.Data && kind != EntryStreamFormat.EndOfContent)
                {
                    throw new InvalidDataException($"entry stream has frame kind {kind} inside file content");
                }

                await reader.ReadPayloadAsync(frame.AsMemory(0, length), ct);
                _position = 0;
                _length = 0;
                if (kind == EntryStreamFormat.EndOfContent)
                {
                    Finish(frame.AsSpan(0, length));
                    if (entryEnd)
                    {
                        await ReadEntryEndAsync(ct);
                    }
                }
                else if (length > 0)
                {
                    check.Append(frame.AsSpan(0, length));
                    _total += length;
                    _length = length;
                    return true;
                }
            }

            return false;
        }

        /// <summary>Version 2: the frame that must follow the end of content, with the sender's changed-while-read flag.</summary>
        private async ValueTask ReadEntryEndAsync(CancellationToken ct)
        {
            var (kind, length) = await reader.ReadPrefixAsync(ct);
            if (kind != EntryStreamFormat.EntryEnd)
            {
                throw new InvalidDataException($"entry stream has frame kind {kind} where a file's entry-end frame belongs");
            }

            await reader.ReadPayloadAsync(frame.AsMemory(0, length), ct);
            var flags = ReadVarint(frame.AsSpan(0, length), out var used);
            if (used != length || (flags & ~EntryStreamFormat.ChangedWhileReadFlag) != 0)
            {
                throw new InvalidDataException($"entry stream has an entry-end frame with unknown flags {flags:x} or trailing bytes");
            }

            _changed = (flags & EntryStreamFormat.ChangedWhileReadFlag) != 0;
        }

        /// <summary>Reads what is left of the content (verifying it) and the entry-end frame; the sender's flag.</summary>
        public async ValueTask<bool> ChangedWhileReadAsync(CancellationToken ct)
        {
            await DrainAsync(ct);
            return _changed;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read entry content asynchronously");

        /// <summary>Skips (and verifies) what the consumer did not read, without copying it anywhere.</summary>
        public async Task DrainAsync(CancellationToken ct)
        {
            _position = _length;
            while (await NextFrameAsync(ct))
            {
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _disposed = true;
                check.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Finish(ReadOnlySpan<byte> payload)
        {
            var length = ReadVarint(payload, out var used);
            if (payload.Length != used + check.Size || (long)length != _total)
            {
                throw new InvalidDataException($"entry stream content has {_total} bytes but its end frame says {length} (or has no {check.Name})");
            }

            Span<byte> actual = stackalloc byte[32];
            check.Finish(actual[..check.Size]);
            if (!payload[used..].SequenceEqual(actual[..check.Size]))
            {
                throw new InvalidDataException($"entry stream content does not match its {check.Name} (damaged in transit)");
            }

            _done = true;
        }
    }
}
