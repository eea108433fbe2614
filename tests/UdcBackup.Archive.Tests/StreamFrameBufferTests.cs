using System.Security.Cryptography;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Streaming;
using Xunit.Abstractions;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// The entry stream reader keeps one frame buffer for the whole stream: reading a large file's
/// content costs no allocation proportional to its size (it used to be one new array per 1 MiB
/// data frame), and the content still verifies against the end frame's SHA-256.
/// </summary>
public sealed class StreamFrameBufferTests(ITestOutputHelper output)
{
    private const int Frame = 1 << 20;
    private const int Frames = 256;

    [Fact]
    public async Task Reading_256_MiB_of_streamed_content_allocates_far_less_than_the_content()
    {
        var input = new SegmentStream(Segments());
        var reader = new EntryStreamReader(input);
        var sink = new byte[1 << 16];
        long read = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        await foreach (var entry in reader.ReadAllAsync())
        {
            int n;
            while ((n = await entry.Content!.ReadAsync(sink)) > 0)
            {
                read += n;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"read {read >> 20} MiB of content, allocated {allocated / 1024.0:F0} KiB on the reading thread");
        read.Should().Be((long)Frame * Frames);
        allocated.Should().BeLessThan(8L << 20, "data frames go into one reused buffer, not a new array each");
    }

    [Fact]
    public async Task Content_not_read_by_the_consumer_is_still_verified_while_it_is_drained()
    {
        var segments = Segments(damageLastFrame: true);
        var reader = new EntryStreamReader(new SegmentStream(segments));
        var act = async () =>
        {
            await foreach (var entry in reader.ReadAllAsync())
            {
                entry.Header.Path.Should().Be("big.bin");
            }
        };

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("*SHA-256*");
    }

    /// <summary>The wire bytes of one 256 MiB file, the same 1 MiB data frame repeated (held once in memory).</summary>
    private static List<ReadOnlyMemory<byte>> Segments(bool damageLastFrame = false)
    {
        var start = new MemoryStream();
        var writer = new EntryStreamWriter(start);
        writer.WriteStartAsync(CancellationToken.None).GetAwaiter().GetResult();
        var header = new ArchiveEntry { Path = "big.bin", Type = EntryType.File, Size = (long)Frame * Frames, Mode = 0x81A4 };
        writer.WriteAsync(new StreamedEntry(header, null, null), CancellationToken.None).GetAwaiter().GetResult();

        var payload = new byte[Frame];
        new Random(7).NextBytes(payload);
        byte[] prefix = [EntryStreamFormatBytes.Data, 0x80, 0x80, 0x40];
        var frame = prefix.Concat(payload).ToArray();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var segments = new List<ReadOnlyMemory<byte>> { start.ToArray() };
        for (var i = 0; i < Frames; i++)
        {
            hash.AppendData(payload);
            segments.Add(frame);
        }

        if (damageLastFrame)
        {
            var damaged = (byte[])frame.Clone();
            damaged[^1] ^= 1;
            segments[^1] = damaged;
        }

        // End of content: varint 256 MiB (0x80 0x80 0x80 0x80 0x01) and the SHA-256; then the end frame (1 entry).
        byte[] total = [0x80, 0x80, 0x80, 0x80, 0x01];
        segments.Add(new byte[] { EntryStreamFormatBytes.EndOfContent, (byte)(total.Length + 32) }.Concat(total).Concat(hash.GetHashAndReset()).ToArray());
        segments.Add(new byte[] { EntryStreamFormatBytes.End, 1, 1 });
        return segments;
    }

    /// <summary>Frame kinds of the wire format (docs/design/archive-format.md, "Entry stream").</summary>
    private static class EntryStreamFormatBytes
    {
        public const byte Data = 2;
        public const byte EndOfContent = 3;
        public const byte End = 4;
    }

    /// <summary>A read-only stream over byte segments that completes synchronously, so every allocation of the reader lands on the test's thread.</summary>
    private sealed class SegmentStream(List<ReadOnlyMemory<byte>> segments) : Stream
    {
        private int _segment;
        private int _offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_segment < segments.Count && _offset == segments[_segment].Length)
            {
                _segment++;
                _offset = 0;
            }

            if (_segment == segments.Count)
            {
                return 0;
            }

            var n = Math.Min(buffer.Length, segments[_segment].Length - _offset);
            segments[_segment].Span.Slice(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
