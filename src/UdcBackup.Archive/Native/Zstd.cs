using System.Runtime.InteropServices;

namespace UdcBackup.Archive.Native;

/// <summary>
/// A minimal binding to the system's <c>libzstd.so.1</c> (no managed zstd package exists here).
/// Only one-shot frame compression with a reusable context per thread is exposed: blobs are at
/// most a few MiB, so streaming APIs would add surface without benefit. Every native error is
/// turned into an <see cref="InvalidDataException"/> carrying zstd's own message.
/// </summary>
public sealed class Zstd : IDisposable
{
    private const string Library = "libzstd.so.1";
    private static readonly ulong ContentSizeUnknown = ulong.MaxValue;
    private static readonly ulong ContentSizeError = ulong.MaxValue - 1;

    private readonly int _level;
    private IntPtr _cctx;
    private IntPtr _dctx;

    /// <summary>Creates compression and decompression contexts; not thread-safe, use one per worker.</summary>
    public Zstd(int level = 1)
    {
        _level = level;
        _cctx = NativeMethods.ZSTD_createCCtx();
        _dctx = NativeMethods.ZSTD_createDCtx();
        if (_cctx == IntPtr.Zero || _dctx == IntPtr.Zero)
        {
            throw new InvalidOperationException("libzstd could not allocate a context.");
        }
    }

    /// <summary>The largest size a compressed frame of <paramref name="length"/> bytes can have.</summary>
    public static int CompressBound(int length) => checked((int)NativeMethods.ZSTD_compressBound((nuint)length));

    /// <summary>Compresses <paramref name="source"/> into <paramref name="destination"/>; returns the frame length.</summary>
    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination) => Compress(source, destination, _level);

    /// <summary>
    /// Compresses at <paramref name="level"/> with this context (zstd sizes its tables per call from
    /// the level and the source size, so one context serves several levels).
    /// </summary>
    public unsafe int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level)
    {
        ObjectDisposedException.ThrowIf(_cctx == IntPtr.Zero, this);
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            var result = NativeMethods.ZSTD_compressCCtx(_cctx, dst, (nuint)destination.Length, src, (nuint)source.Length, level);
            Check(result);
            return (int)result;
        }
    }

    /// <summary>Decompresses one frame into <paramref name="destination"/>, which must hold the whole content.</summary>
    public unsafe int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_dctx == IntPtr.Zero, this);
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            var result = NativeMethods.ZSTD_decompressDCtx(_dctx, dst, (nuint)destination.Length, src, (nuint)source.Length);
            Check(result);
            return (int)result;
        }
    }

    /// <summary>The content size written in a frame header, or -1 when the frame does not say.</summary>
    public static unsafe long FrameContentSize(ReadOnlySpan<byte> frame)
    {
        fixed (byte* src = frame)
        {
            var size = NativeMethods.ZSTD_getFrameContentSize(src, (nuint)frame.Length);
            if (size == ContentSizeError)
            {
                throw new InvalidDataException("Not a zstd frame.");
            }

            return size == ContentSizeUnknown ? -1 : checked((long)size);
        }
    }

    public void Dispose()
    {
        if (_cctx != IntPtr.Zero)
        {
            _ = NativeMethods.ZSTD_freeCCtx(_cctx);
            _cctx = IntPtr.Zero;
        }

        if (_dctx != IntPtr.Zero)
        {
            _ = NativeMethods.ZSTD_freeDCtx(_dctx);
            _dctx = IntPtr.Zero;
        }
    }

    private static void Check(nuint result)
    {
        if (NativeMethods.ZSTD_isError(result) != 0)
        {
            var message = Marshal.PtrToStringAnsi(NativeMethods.ZSTD_getErrorName(result)) ?? "unknown error";
            throw new InvalidDataException($"zstd: {message}");
        }
    }

    private static unsafe class NativeMethods
    {
        [DllImport(Library)]
        public static extern IntPtr ZSTD_createCCtx();

        [DllImport(Library)]
        public static extern nuint ZSTD_freeCCtx(IntPtr cctx);

        [DllImport(Library)]
        public static extern IntPtr ZSTD_createDCtx();

        [DllImport(Library)]
        public static extern nuint ZSTD_freeDCtx(IntPtr dctx);

        [DllImport(Library)]
        public static extern nuint ZSTD_compressBound(nuint srcSize);

        [DllImport(Library)]
        public static extern nuint ZSTD_compressCCtx(IntPtr cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize, int level);

        [DllImport(Library)]
        public static extern nuint ZSTD_decompressDCtx(IntPtr dctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

        [DllImport(Library)]
        public static extern ulong ZSTD_getFrameContentSize(byte* src, nuint srcSize);

        [DllImport(Library)]
        public static extern uint ZSTD_isError(nuint code);

        [DllImport(Library)]
        public static extern IntPtr ZSTD_getErrorName(nuint code);
    }
}
