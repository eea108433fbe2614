using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using UdcBackup.Archive.Chunking;
using UdcBackup.Archive.Crypto;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.Native;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Agents.Bench;

/// <summary>
/// The go/no-go measurement for chunking and compressing on the disk agent instead of the media
/// agent: one thread reads every file of the dataset, cuts it with the repository's default
/// FastCDC parameters and, per chunk, times on its own thread CPU clock (a) what the disk agent
/// would do (cut, compress by the archive's rule in <see cref="BlobCompressor"/>), (b) what the
/// media agent would still do (decompress what was compressed, SHA-256 of the plaintext, and for a
/// chunk not seen before the AES-GCM seal of the payload as sent) and (c) what today's media agent
/// does with the same chunk (cut, SHA-256, and for a new chunk compress and seal). Chunks are
/// counted and deduplicated as the archive would (by SHA-256). Nothing is written; a file that
/// vanishes while read fails the run.
/// </summary>
internal static class ChunkCompressSplit
{
    public static SplitResult Measure(IReadOnlyList<string> files)
    {
        var config = new RepositoryConfig();
        var chunker = new FastCdcChunker(config.ChunkMin, config.ChunkAverage, config.ChunkMax);
        using var compressor = new BlobCompressor(config.CompressionLevel);
        using var zstd = new Zstd(config.CompressionLevel);
        using var key = MasterKey.Create();
        var window = new byte[2 * config.ChunkMax];
        var compressed = new byte[BlobCompressor.DestinationSize(config.ChunkMax)];
        var plainAgain = new byte[config.ChunkMax];
        var sealBuffer = new byte[MasterKey.NonceSize + compressed.Length + MasterKey.TagSize];
        var id = new byte[SHA256.HashSizeInBytes];
        var seen = new HashSet<(ulong, ulong, ulong, ulong)>();
        var r = new SplitResult();
        foreach (var file in files)
        {
            using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            var filled = 0;
            var atEnd = false;
            while (true)
            {
                var started = ThreadCpuClock.Now();
                while (!atEnd && filled < window.Length)
                {
                    var read = input.Read(window, filled, window.Length - filled);
                    atEnd = read == 0;
                    filled += read;
                }

                r.ReadCpu += ThreadCpuClock.Now() - started;
                if (filled == 0)
                {
                    break;
                }

                // Cut while a whole max-size window is there (or the file's rest), then slide the rest down.
                var offset = 0;
                while (filled - offset >= config.ChunkMax || (atEnd && offset < filled))
                {
                    var length = Cut(chunker, window.AsSpan(offset, Math.Min(filled - offset, config.ChunkMax)), r);
                    Process(window.AsMemory(offset, length).Span);
                    offset += length;
                }

                window.AsSpan(offset, filled - offset).CopyTo(window);
                filled -= offset;
                if (atEnd && filled == 0)
                {
                    break;
                }
            }
        }

        return r;

        void Process(ReadOnlySpan<byte> plain)
        {
            var started = ThreadCpuClock.Now();
            var compressedLength = compressor.TryCompress(plain, compressed);
            var compressCpu = ThreadCpuClock.Now() - started;
            r.CompressCpu += compressCpu;
            var payload = compressedLength >= 0 ? compressed.AsSpan(0, compressedLength) : plain;
            r.RawBytes += plain.Length;
            r.PayloadBytes += payload.Length;

            started = ThreadCpuClock.Now();
            var checkedPlain = plain;
            if (compressedLength >= 0)
            {
                checkedPlain = plainAgain.AsSpan(0, zstd.Decompress(payload, plainAgain));
            }

            var hashStarted = ThreadCpuClock.Now();
            r.DecompressCpu += hashStarted - started;
            SHA256.HashData(checkedPlain, id);
            var sealStarted = ThreadCpuClock.Now();
            r.HashCpu += sealStarted - hashStarted;
            if (!seen.Add((BinaryPrimitives.ReadUInt64LittleEndian(id), BinaryPrimitives.ReadUInt64LittleEndian(id.AsSpan(8)),
                    BinaryPrimitives.ReadUInt64LittleEndian(id.AsSpan(16)), BinaryPrimitives.ReadUInt64LittleEndian(id.AsSpan(24)))))
            {
                return;
            }

            payload.CopyTo(sealBuffer.AsSpan(MasterKey.NonceSize));
            key.SealInPlace(sealBuffer, payload.Length, id);
            r.SealNewCpu += ThreadCpuClock.Now() - sealStarted;
            r.CompressNewCpu += compressCpu;
            r.NewRawBytes += plain.Length;
            r.NewPayloadBytes += payload.Length;
        }
    }

    private static int Cut(FastCdcChunker chunker, ReadOnlySpan<byte> data, SplitResult r)
    {
        var started = ThreadCpuClock.Now();
        var length = chunker.NextBoundary(data);
        r.CutCpu += ThreadCpuClock.Now() - started;
        r.Chunks++;
        return length;
    }

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), which load on other threads does not stretch.</summary>
    private static class ThreadCpuClock
    {
        private const int ThreadCpuTimeId = 3;

        public static double Now()
        {
            if (NativeMethods.clock_gettime(ThreadCpuTimeId, out var time) != 0)
            {
                throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
            }

            return time.Seconds + (time.Nanoseconds / 1e9);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int clock_gettime(int clockId, out TimeSpec time);
    }
}
