using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// Reads the framed entry wire format written by <see cref="EntryStreamWriter"/>. Files carry their
/// content as a stream that verifies length and SHA-256 at its end and throws
/// <see cref="InvalidDataException"/> on any mismatch, truncation or unknown frame; content a
/// consumer did not read is drained (and still verified) before the next entry is returned.
/// </summary>
public sealed class EntryStreamReader(Stream input)
{
    public async IAsyncEnumerable<StreamedEntry> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var magic = new byte[5];
        await input.ReadExactlyAsync(magic, ct);
        if (!magic.AsSpan(0, 4).SequenceEqual(EntryStreamFormat.Magic) || magic[4] != EntryStreamFormat.Version)
        {
            throw new InvalidDataException("not an entry stream (bad magic or version)");
        }

        long count = 0;
        while (true)
        {
            var (kind, payload) = await ReadFrameAsync(input, ct);
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

            await using var content = new FrameContentStream(input);
            yield return new StreamedEntry(header, extents, content);
            await content.DrainAsync(ct);
        }
    }

    internal static async Task<(byte Kind, byte[] Payload)> ReadFrameAsync(Stream input, CancellationToken ct)
    {
        var one = new byte[1];
        await input.ReadExactlyAsync(one, ct);
        ulong length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 28)
            {
                throw new InvalidDataException("entry stream frame length is too large");
            }

            var b = new byte[1];
            await input.ReadExactlyAsync(b, ct);
            length |= (ulong)(b[0] & 0x7F) << shift;
            if (b[0] < 0x80)
            {
                break;
            }
        }

        if (length > EntryStreamFormat.MaxData + 1024 && one[0] != EntryStreamFormat.Header)
        {
            throw new InvalidDataException($"entry stream frame of {length} bytes exceeds the limit");
        }

        var payload = new byte[length];
        await input.ReadExactlyAsync(payload, ct);
        return (one[0], payload);
    }

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

    /// <summary>The content of one file: data frames until the end-of-content frame, verified there.</summary>
    private sealed class FrameContentStream(Stream input) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] _frame = [];
        private int _position;
        private long _total;
        private bool _done;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_position == _frame.Length)
            {
                if (_done)
                {
                    return 0;
                }

                var (kind, payload) = await ReadFrameAsync(input, cancellationToken);
                if (kind == EntryStreamFormat.Data)
                {
                    _hash.AppendData(payload);
                    _total += payload.Length;
                    _frame = payload;
                    _position = 0;
                }
                else if (kind == EntryStreamFormat.EndOfContent)
                {
                    Finish(payload);
                    _frame = [];
                    _position = 0;
                }
                else
                {
                    throw new InvalidDataException($"entry stream has frame kind {kind} inside file content");
                }
            }

            var count = Math.Min(buffer.Length, _frame.Length - _position);
            _frame.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read entry content asynchronously");

        public async Task DrainAsync(CancellationToken ct)
        {
            var sink = new byte[1 << 16];
            while (await ReadAsync(sink, ct) > 0)
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
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Finish(byte[] payload)
        {
            var length = ReadVarint(payload, out var used);
            if (payload.Length != used + 32 || (long)length != _total)
            {
                throw new InvalidDataException($"entry stream content has {_total} bytes but its end frame says {length}");
            }

            if (!payload.AsSpan(used).SequenceEqual(_hash.GetHashAndReset()))
            {
                throw new InvalidDataException("entry stream content does not match its SHA-256 (damaged in transit)");
            }

            _done = true;
        }
    }
}
