using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace UdcBackup.Archive.Chunking;

/// <summary>
/// Content-defined chunking with FastCDC: a gear rolling hash (<c>h = (h &lt;&lt; 1) + gear[byte]</c>)
/// is tested against a mask of its top bits, so a boundary depends on the last 64 bytes only and
/// survives insertions elsewhere. Normalized chunking uses a stricter mask (2 more bits) before the
/// average size and a looser one (2 fewer bits) after it, which narrows the size distribution.
/// No boundary is looked for before <see cref="MinSize"/>; one is forced at <see cref="MaxSize"/>.
/// The gear table is derived from SHA-256 of a fixed label, so every implementation agrees.
/// </summary>
public sealed class FastCdcChunker
{
    private static readonly ulong[] Gear = BuildGear();
    private readonly ulong _maskStrict;
    private readonly ulong _maskLoose;

    public FastCdcChunker(int minSize, int averageSize, int maxSize)
    {
        if (minSize < 64 || averageSize <= minSize || maxSize <= averageSize || !BitOperations.IsPow2(averageSize))
        {
            throw new ArgumentException($"Chunk sizes must satisfy 64 <= min < avg < max with avg a power of two (got {minSize}/{averageSize}/{maxSize}).");
        }

        MinSize = minSize;
        AverageSize = averageSize;
        MaxSize = maxSize;
        var bits = BitOperations.Log2((uint)averageSize);
        _maskStrict = TopBits(bits + 2);
        _maskLoose = TopBits(bits - 2);
        ZeroRunLength = NextBoundary(new byte[maxSize]);
    }

    /// <summary>
    /// The length of the chunk cut from the start of a run of at least <see cref="MaxSize"/> zero
    /// bytes (<see cref="MaxSize"/> unless the gear hash of zeros meets a mask). A boundary depends
    /// only on the bytes before it, so wherever input holds zeros for this many bytes from a chunk's
    /// start, the chunk has this length without running the hash (disk images, preallocated files).
    /// </summary>
    public int ZeroRunLength { get; }

    public int MinSize { get; }

    public int AverageSize { get; }

    public int MaxSize { get; }

    /// <summary>
    /// The length of the chunk that starts at <paramref name="data"/>[0]. When <paramref name="data"/>
    /// is shorter than <see cref="MaxSize"/> the caller must pass all remaining input (end of stream).
    /// </summary>
    public int NextBoundary(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        if (length <= MinSize)
        {
            return length;
        }

        var end = Math.Min(length, MaxSize);
        var normal = Math.Min(end, AverageSize);
        ulong hash = 0;

        // Bounds checks are removed by hand: this loop runs over every byte backed up.
        ref var bytes = ref MemoryMarshal.GetReference(data);
        ref var gear = ref MemoryMarshal.GetArrayDataReference(Gear);
        var strict = _maskStrict;
        var loose = _maskLoose;
        var i = MinSize;
        for (; i < normal; i++)
        {
            hash = (hash << 1) + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i));
            if ((hash & strict) == 0)
            {
                return i + 1;
            }
        }

        for (; i < end; i++)
        {
            hash = (hash << 1) + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i));
            if ((hash & loose) == 0)
            {
                return i + 1;
            }
        }

        return end;
    }

    private static ulong TopBits(int count) => ulong.MaxValue << (64 - count);

    private static ulong[] BuildGear()
    {
        var table = new ulong[256];
        Span<byte> digest = stackalloc byte[32];
        for (var i = 0; i < 256; i++)
        {
            var label = Encoding.ASCII.GetBytes($"udc-archive-gear-{i}");
            SHA256.HashData(label, digest);
            table[i] = BinaryPrimitives.ReadUInt64LittleEndian(digest);
        }

        return table;
    }
}
