using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UdcBackup.Archive.Format;

/// <summary>
/// BLAKE3 in its plain hash mode with 32-byte output, the blob id of format 3. The input is cut
/// into 1 KiB chunks of 64-byte blocks; each chunk's chaining value comes from compressing its
/// blocks in turn (counter = the chunk's index), and parents join two chaining values each, pairs
/// from the left and an odd last one carried up a level, until one root is left. Chunks and
/// parents are independent of each other on a level, so 16 of them (with AVX-512) or 8 (with AVX2)
/// are compressed at once, one per vector lane: 3.6-3.9 GB/s on this project's benchmark machine
/// for inputs of 100 KiB and up, where SHA-256 with the SHA extensions gives 1.45 GB/s
/// (<c>bench/archive/Profile hashes</c>). Machines without AVX2 take the one-block-at-a-time path
/// (about 0.6 GB/s), which gives the same digest.
/// </summary>
public static class Blake3
{
    public const int DigestSize = 32;
    private const int ChunkLength = 1024;
    private const int BlockLength = 64;
    private const int BlocksPerChunk = ChunkLength / BlockLength;
    private const uint ChunkStart = 1, ChunkEnd = 2, ParentNode = 4, Root = 8;
    private const uint Iv0 = 0x6A09E667, Iv1 = 0xBB67AE85, Iv2 = 0x3C6EF372, Iv3 = 0xA54FF53A;
    private const uint Iv4 = 0x510E527F, Iv5 = 0x9B05688C, Iv6 = 0x1F83D9AB, Iv7 = 0x5BE0CD19;

    /// <summary>The key of the plain hash mode, where every chunk and parent starts.</summary>
    private static ReadOnlySpan<uint> Iv => [Iv0, Iv1, Iv2, Iv3, Iv4, Iv5, Iv6, Iv7];

    /// <summary>The message word each round reads at each position: round r reads word <c>Schedule[r * 16 + i]</c>.</summary>
    private static readonly byte[] Schedule = BuildSchedule();

    /// <summary>The chaining values of one input's chunks and parents, per thread (2 MiB chunks need 64 KiB).</summary>
    [ThreadStatic]
    private static uint[]? t_values;

    /// <summary>The widest lane count this machine runs: 16, 8, or 1.</summary>
    internal static int MachineLanes { get; } = Avx512F.IsSupported && Avx2.IsSupported ? 16 : Avx2.IsSupported ? 8 : 1;

    /// <summary>Every lane width this machine runs, widest first (the one-lane path always).</summary>
    internal static IReadOnlyList<int> LaneWidths { get; } = [.. new[] { 16, 8 }.Where(lanes => lanes <= MachineLanes), 1];

    /// <summary>Writes the 32-byte BLAKE3 digest of <paramref name="input"/> to <paramref name="digest"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> digest) => Hash(input, digest, MachineLanes);

    /// <summary>
    /// <see cref="Hash(ReadOnlySpan{byte}, Span{byte})"/> with at most <paramref name="lanes"/> inputs
    /// compressed at once (16, 8 or 1, no more than <see cref="MachineLanes"/>), so tests check every path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: never run unoptimized first
    internal static unsafe void Hash(ReadOnlySpan<byte> input, Span<byte> digest, int lanes)
    {
        if (lanes > MachineLanes)
        {
            throw new PlatformNotSupportedException($"This machine compresses at most {MachineLanes} BLAKE3 inputs at once, not {lanes}.");
        }

        if (input.Length <= ChunkLength)
        {
            Span<uint> single = stackalloc uint[8];
            fixed (byte* data = input)
            {
                ChunkValue(data, input.Length, 0, Root, single);
            }

            Write(single, digest);
            return;
        }

        var chunks = (input.Length + ChunkLength - 1) / ChunkLength;
        var values = t_values is { } held && held.Length >= chunks * 8 ? held : t_values = new uint[Math.Max(chunks, 2048) * 8];
        Span<uint> root = stackalloc uint[8];
        fixed (byte* data = input)
        fixed (uint* cv = values)
        {
            // Every chunk but a short last one has all 16 blocks: those go through the lanes.
            var full = input.Length / ChunkLength;
            Many(data, ChunkLength, full, BlocksPerChunk, counterStep: 1, flags: 0, cv, lanes);
            if (full < chunks)
            {
                ChunkValue(data + ((long)full * ChunkLength), input.Length - (full * ChunkLength), (ulong)full, 0, new Span<uint>(cv + (full * 8), 8));
            }

            // Parents level by level, in place: a parent's block is its two children's values side by side.
            var count = chunks;
            while (count > 2)
            {
                var pairs = count / 2;
                Many((byte*)cv, BlockLength, pairs, blocks: 1, counterStep: 0, ParentNode, cv, lanes);
                if (count % 2 == 1)
                {
                    new Span<uint>(cv + ((count - 1) * 8), 8).CopyTo(new Span<uint>(cv + (pairs * 8), 8));
                }

                count = pairs + (count % 2);
            }

            Iv.CopyTo(root);
            Compress(root, new ReadOnlySpan<uint>(cv, 16), 0, BlockLength, ParentNode | Root);
        }

        Write(root, digest);
    }

    /// <summary>
    /// The chaining values of <paramref name="count"/> inputs of <paramref name="blocks"/> full blocks each,
    /// input i at <paramref name="input"/> + i * <paramref name="stride"/> with counter i * <paramref name="counterStep"/>,
    /// into <paramref name="output"/> (8 words each). Input i is read before output i is written, and
    /// output i never lies past input i, so parents are computed in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: never run unoptimized first
    private static unsafe void Many(byte* input, int stride, int count, int blocks, ulong counterStep, uint flags, uint* output, int lanes)
    {
        var done = 0;
        Span<uint> one = stackalloc uint[8];
        while (done < count)
        {
            var left = count - done;
            var at = input + ((long)done * stride);
            if (lanes >= 16 && left > 8)
            {
                var n = Math.Min(16, left);
                Wide<Lanes16, Vector512<uint>>(at, stride, n, blocks, (ulong)done * counterStep, counterStep, flags, output + (done * 8));
                done += n;
            }
            else if (lanes >= 8 && left > 2)
            {
                var n = Math.Min(8, left);
                Wide<Lanes8, Vector256<uint>>(at, stride, n, blocks, (ulong)done * counterStep, counterStep, flags, output + (done * 8));
                done += n;
            }
            else
            {
                if (blocks == 1)
                {
                    Iv.CopyTo(one);
                    Compress(one, new ReadOnlySpan<uint>(at, 16), (ulong)done * counterStep, BlockLength, flags);
                }
                else
                {
                    ChunkValue(at, blocks * BlockLength, (ulong)done * counterStep, 0, one);
                }

                one.CopyTo(new Span<uint>(output + (done * 8), 8));
                done++;
            }
        }
    }

    private static void Write(ReadOnlySpan<uint> value, Span<byte> digest)
    {
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(digest[(i * 4)..], value[i]);
        }
    }

    /// <summary>One chunk of at most 1 KiB, a block at a time (an empty input is one empty block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: never run unoptimized first
    private static unsafe void ChunkValue(byte* chunk, int length, ulong counter, uint rootFlag, Span<uint> value)
    {
        Iv.CopyTo(value);
        Span<uint> block = stackalloc uint[16];
        var blocks = Math.Max(1, (length + BlockLength - 1) / BlockLength);
        for (var b = 0; b < blocks; b++)
        {
            var start = b * BlockLength;
            var taken = Math.Min(BlockLength, length - start);
            block.Clear();
            new ReadOnlySpan<byte>(chunk + start, taken).CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(block));
            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(block, block);
            }

            var flags = (b == 0 ? ChunkStart : 0) | (b == blocks - 1 ? ChunkEnd | rootFlag : 0);
            Compress(value, block, counter, (uint)taken, flags);
        }
    }

    /// <summary>The compression function; <paramref name="value"/> is the chaining value in and out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: never run unoptimized first
    private static void Compress(Span<uint> value, ReadOnlySpan<uint> block, ulong counter, uint blockLength, uint flags)
    {
        uint s0 = value[0], s1 = value[1], s2 = value[2], s3 = value[3], s4 = value[4], s5 = value[5], s6 = value[6], s7 = value[7];
        uint s8 = Iv0, s9 = Iv1, s10 = Iv2, s11 = Iv3, s12 = (uint)counter, s13 = (uint)(counter >> 32), s14 = blockLength, s15 = flags;
        uint m0 = block[0], m1 = block[1], m2 = block[2], m3 = block[3], m4 = block[4], m5 = block[5], m6 = block[6], m7 = block[7];
        uint m8 = block[8], m9 = block[9], m10 = block[10], m11 = block[11], m12 = block[12], m13 = block[13], m14 = block[14], m15 = block[15];
        for (var round = 0; ; round++)
        {
            G(ref s0, ref s4, ref s8, ref s12, m0, m1);
            G(ref s1, ref s5, ref s9, ref s13, m2, m3);
            G(ref s2, ref s6, ref s10, ref s14, m4, m5);
            G(ref s3, ref s7, ref s11, ref s15, m6, m7);
            G(ref s0, ref s5, ref s10, ref s15, m8, m9);
            G(ref s1, ref s6, ref s11, ref s12, m10, m11);
            G(ref s2, ref s7, ref s8, ref s13, m12, m13);
            G(ref s3, ref s4, ref s9, ref s14, m14, m15);
            if (round == 6)
            {
                break;
            }

            // The message permutation between rounds: word i of the next round is word P[i] of this one.
            (m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15) =
                (m2, m6, m3, m10, m7, m0, m4, m13, m1, m11, m12, m5, m9, m14, m15, m8);
        }

        value[0] = s0 ^ s8; value[1] = s1 ^ s9; value[2] = s2 ^ s10; value[3] = s3 ^ s11;
        value[4] = s4 ^ s12; value[5] = s5 ^ s13; value[6] = s6 ^ s14; value[7] = s7 ^ s15;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref uint a, ref uint b, ref uint c, ref uint d, uint x, uint y)
    {
        a = a + b + x;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 12);
        a = a + b + y;
        d = BitOperations.RotateRight(d ^ a, 8);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 7);
    }

    /// <summary>
    /// Up to <see cref="ILanes{TVector}.Count"/> inputs in the lanes of <typeparamref name="TVector"/>: word w
    /// of every lane's block is gathered into one vector, and each step of the compression works on all
    /// lanes at once. Lanes past <paramref name="count"/> repeat the last input and are not stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: never run unoptimized first
    private static unsafe void Wide<TLanes, TVector>(byte* input, int stride, int count, int blocks, ulong counter, ulong counterStep, uint flags, uint* output)
        where TLanes : ILanes<TVector>
        where TVector : unmanaged
    {
        var lanes = TLanes.Count;
        var offsets = stackalloc int[lanes];
        var low = stackalloc uint[lanes];
        var high = stackalloc uint[lanes];
        for (var lane = 0; lane < lanes; lane++)
        {
            var source = Math.Min(lane, count - 1);
            offsets[lane] = source * (stride / 4);
            var laneCounter = counter + ((ulong)source * counterStep);
            low[lane] = (uint)laneCounter;
            high[lane] = (uint)(laneCounter >> 32);
        }

        var counterLow = TLanes.Load(low);
        var counterHigh = TLanes.Load(high);
        TVector h0 = TLanes.Splat(Iv0), h1 = TLanes.Splat(Iv1), h2 = TLanes.Splat(Iv2), h3 = TLanes.Splat(Iv3);
        TVector h4 = TLanes.Splat(Iv4), h5 = TLanes.Splat(Iv5), h6 = TLanes.Splat(Iv6), h7 = TLanes.Splat(Iv7);
        var m = stackalloc TVector[16];
        for (var b = 0; b < blocks; b++)
        {
            var block = (uint*)(input + (b * BlockLength));
            for (var w = 0; w < 16; w++)
            {
                m[w] = TLanes.Gather(block + w, offsets);
            }

            var blockFlags = flags == ParentNode ? flags : (b == 0 ? ChunkStart : 0) | (b == blocks - 1 ? ChunkEnd : 0);
            TVector s0 = h0, s1 = h1, s2 = h2, s3 = h3, s4 = h4, s5 = h5, s6 = h6, s7 = h7;
            TVector s8 = TLanes.Splat(Iv0), s9 = TLanes.Splat(Iv1), s10 = TLanes.Splat(Iv2), s11 = TLanes.Splat(Iv3);
            TVector s12 = counterLow, s13 = counterHigh, s14 = TLanes.Splat(BlockLength), s15 = TLanes.Splat(blockFlags);
            var schedule = Schedule;
            for (var o = 0; o < schedule.Length; o += 16)
            {
                G<TLanes, TVector>(ref s0, ref s4, ref s8, ref s12, m[schedule[o]], m[schedule[o + 1]]);
                G<TLanes, TVector>(ref s1, ref s5, ref s9, ref s13, m[schedule[o + 2]], m[schedule[o + 3]]);
                G<TLanes, TVector>(ref s2, ref s6, ref s10, ref s14, m[schedule[o + 4]], m[schedule[o + 5]]);
                G<TLanes, TVector>(ref s3, ref s7, ref s11, ref s15, m[schedule[o + 6]], m[schedule[o + 7]]);
                G<TLanes, TVector>(ref s0, ref s5, ref s10, ref s15, m[schedule[o + 8]], m[schedule[o + 9]]);
                G<TLanes, TVector>(ref s1, ref s6, ref s11, ref s12, m[schedule[o + 10]], m[schedule[o + 11]]);
                G<TLanes, TVector>(ref s2, ref s7, ref s8, ref s13, m[schedule[o + 12]], m[schedule[o + 13]]);
                G<TLanes, TVector>(ref s3, ref s4, ref s9, ref s14, m[schedule[o + 14]], m[schedule[o + 15]]);
            }

            h0 = TLanes.Xor(s0, s8); h1 = TLanes.Xor(s1, s9); h2 = TLanes.Xor(s2, s10); h3 = TLanes.Xor(s3, s11);
            h4 = TLanes.Xor(s4, s12); h5 = TLanes.Xor(s5, s13); h6 = TLanes.Xor(s6, s14); h7 = TLanes.Xor(s7, s15);
        }

        // Back to one chaining value of 8 words per lane.
        var words = stackalloc uint[8 * lanes];
        TLanes.Store(h0, words); TLanes.Store(h1, words + lanes); TLanes.Store(h2, words + (2 * lanes)); TLanes.Store(h3, words + (3 * lanes));
        TLanes.Store(h4, words + (4 * lanes)); TLanes.Store(h5, words + (5 * lanes)); TLanes.Store(h6, words + (6 * lanes)); TLanes.Store(h7, words + (7 * lanes));
        for (var lane = 0; lane < count; lane++)
        {
            for (var w = 0; w < 8; w++)
            {
                output[(lane * 8) + w] = words[(w * lanes) + lane];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G<TLanes, TVector>(ref TVector a, ref TVector b, ref TVector c, ref TVector d, TVector x, TVector y)
        where TLanes : ILanes<TVector>
        where TVector : unmanaged
    {
        a = TLanes.Add(TLanes.Add(a, b), x);
        d = TLanes.RotateRight(TLanes.Xor(d, a), 16);
        c = TLanes.Add(c, d);
        b = TLanes.RotateRight(TLanes.Xor(b, c), 12);
        a = TLanes.Add(TLanes.Add(a, b), y);
        d = TLanes.RotateRight(TLanes.Xor(d, a), 8);
        c = TLanes.Add(c, d);
        b = TLanes.RotateRight(TLanes.Xor(b, c), 7);
    }

    /// <summary>The operations <see cref="Wide{TLanes, TVector}"/> needs from one vector width.</summary>
    private unsafe interface ILanes<TVector>
    {
        static abstract int Count { get; }

        static abstract TVector Splat(uint value);

        static abstract TVector Add(TVector left, TVector right);

        static abstract TVector Xor(TVector left, TVector right);

        static abstract TVector Load(uint* source);

        static abstract void Store(TVector value, uint* destination);

        /// <summary>Lane i holds <paramref name="words"/>[<paramref name="offsets"/>[i]].</summary>
        static abstract TVector Gather(uint* words, int* offsets);

        static abstract TVector RotateRight(TVector value, [ConstantExpected] byte bits);
    }

    /// <summary>16 lanes: AVX-512 rotations, two AVX2 gathers of 8 words each.</summary>
    private readonly unsafe struct Lanes16 : ILanes<Vector512<uint>>
    {
        public static int Count => 16;

        public static Vector512<uint> Splat(uint value) => Vector512.Create(value);

        public static Vector512<uint> Add(Vector512<uint> left, Vector512<uint> right) => left + right;

        public static Vector512<uint> Xor(Vector512<uint> left, Vector512<uint> right) => left ^ right;

        public static Vector512<uint> Load(uint* source) => Vector512.Load(source);

        public static void Store(Vector512<uint> value, uint* destination) => value.Store(destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> Gather(uint* words, int* offsets) =>
            Vector512.Create(Avx2.GatherVector256(words, Vector256.Load(offsets), 4), Avx2.GatherVector256(words, Vector256.Load(offsets + 8), 4));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> RotateRight(Vector512<uint> value, [ConstantExpected] byte bits) => Avx512F.RotateRight(value, bits);
    }

    /// <summary>8 lanes: AVX2 (rotations by AVX-512 where the CPU has it, else by a byte shuffle for 16 and 8 bits and two shifts for 12 and 7).</summary>
    private readonly unsafe struct Lanes8 : ILanes<Vector256<uint>>
    {
        public static int Count => 8;

        public static Vector256<uint> Splat(uint value) => Vector256.Create(value);

        public static Vector256<uint> Add(Vector256<uint> left, Vector256<uint> right) => left + right;

        public static Vector256<uint> Xor(Vector256<uint> left, Vector256<uint> right) => left ^ right;

        public static Vector256<uint> Load(uint* source) => Vector256.Load(source);

        public static void Store(Vector256<uint> value, uint* destination) => value.Store(destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> Gather(uint* words, int* offsets) => Avx2.GatherVector256(words, Vector256.Load(offsets), 4);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> RotateRight(Vector256<uint> value, [ConstantExpected] byte bits)
        {
            if (Avx512F.VL.IsSupported)
            {
                return Avx512F.VL.RotateRight(value, bits);
            }

            // Whole-byte rotations move bytes within each word: one shuffle instead of two shifts and an or.
            return bits switch
            {
                16 => Avx2.Shuffle(value.AsByte(), Vector256.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)).AsUInt32(),
                8 => Avx2.Shuffle(value.AsByte(), Vector256.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12)).AsUInt32(),
                _ => (value >>> bits) | (value << (32 - bits)),
            };
        }
    }

    private static byte[] BuildSchedule()
    {
        ReadOnlySpan<byte> permutation = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
        var schedule = new byte[7 * 16];
        Span<byte> current = stackalloc byte[16];
        Span<byte> next = stackalloc byte[16];
        for (var i = 0; i < 16; i++)
        {
            current[i] = (byte)i;
        }

        for (var r = 0; r < 7; r++)
        {
            current.CopyTo(schedule.AsSpan(r * 16));
            for (var i = 0; i < 16; i++)
            {
                next[i] = current[permutation[i]];
            }

            next.CopyTo(current);
        }

        return schedule;
    }
}
