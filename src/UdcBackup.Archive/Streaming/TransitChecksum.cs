using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace UdcBackup.Archive.Streaming;

/// <summary>
/// The check value an entry stream's end-of-content frame carries for each file's content, so a
/// receiver notices a framing or reassembly bug (bytes lost, repeated or reordered between writer
/// and reader) before it commits the file. Versions 1 and 2 carry the content's SHA-256 (32 bytes);
/// version 3 carries its CRC-32C (Castagnoli, as iSCSI and ext4 use it: reflected polynomial
/// 0x82F63B78, initial value and final XOR 0xFFFFFFFF), 4 bytes little-endian. The transport's
/// TLS AEAD already refuses tampered bytes, so what is left to catch is this project's own bugs,
/// for which a CRC suffices at about a quarter of SHA-256's CPU or less.
/// The CRC runs on the CPU's <c>crc32</c> instruction (<see cref="BitOperations.Crc32C(uint, ulong)"/>).
/// One chain of those instructions waits on each result (3 cycles per 8 bytes); so blocks of
/// 3 x <see cref="Lane"/> bytes run as three independent chains whose results are joined by the
/// CRC's linearity (shifting a chain's value over <see cref="Lane"/> zero bytes is a carry-less
/// multiplication modulo the polynomial by a constant computed once). The value is the standard
/// CRC-32C either way; the lanes only change how fast it is computed.
/// </summary>
internal abstract class TransitChecksum : IDisposable
{
    /// <summary>Bytes per chain in one three-chain block: long enough that the join is rare, short enough that small files still use it.</summary>
    internal const int Lane = 4096;

    /// <summary>The check of entry stream <paramref name="version"/>.</summary>
    public static TransitChecksum For(int version) =>
        version >= EntryStreamFormat.VersionWithCrc ? new Crc32C() : new Sha256();

    /// <summary>Size in bytes of the value in the end-of-content frame.</summary>
    public abstract int Size { get; }

    /// <summary>Name used in error messages.</summary>
    public abstract string Name { get; }

    public abstract void Append(ReadOnlySpan<byte> data);

    /// <summary>Writes the value of everything appended into <paramref name="destination"/> (<see cref="Size"/> bytes) and starts over.</summary>
    public abstract void Finish(Span<byte> destination);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The standard CRC-32C of <paramref name="data"/> (what version 3 sends for content <paramref name="data"/>).</summary>
    public static uint Crc32COf(ReadOnlySpan<byte> data) => ~Crc32C.Update(uint.MaxValue, data);

    private sealed class Sha256 : TransitChecksum
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override int Size => 32;

        public override string Name => "SHA-256";

        public override void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

        public override void Finish(Span<byte> destination) => _hash.GetHashAndReset(destination);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class Crc32C : TransitChecksum
    {
        /// <summary>The CRC-32C polynomial, reflected.</summary>
        private const uint Polynomial = 0x82F63B78;

        /// <summary>x^(8 * Lane) modulo the polynomial: multiplying a chain's value by it shifts the value over <see cref="Lane"/> zero bytes.</summary>
        private static readonly uint LaneShift = ShiftOverZeros(Lane);

        private uint _register = uint.MaxValue;

        public override int Size => 4;

        public override string Name => "CRC-32C";

        public override void Append(ReadOnlySpan<byte> data) => _register = Update(_register, data);

        public override void Finish(Span<byte> destination)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, ~_register);
            _register = uint.MaxValue;
        }

        /// <summary>The CRC register after <paramref name="data"/>, starting from <paramref name="register"/> (no initial or final inversion).</summary>
        public static uint Update(uint register, ReadOnlySpan<byte> data)
        {
            const int block = 3 * Lane;
            while (data.Length >= block)
            {
                // The first chain continues the register; the other two start from zero and are
                // added in after shifting what precedes them over their length (linearity).
                var a = Chain(register, data[..Lane]);
                var b = Chain(0, data.Slice(Lane, Lane));
                var c = Chain(0, data.Slice(2 * Lane, Lane));
                register = Multiply(Multiply(a, LaneShift) ^ b, LaneShift) ^ c;
                data = data[block..];
            }

            return Chain(register, data);
        }

        /// <summary>One dependency chain: 8 bytes per instruction, then the tail byte by byte.</summary>
        private static uint Chain(uint register, ReadOnlySpan<byte> data)
        {
            var words = MemoryMarshal.Cast<byte, ulong>(data);
            foreach (var word in words)
            {
                register = BitOperations.Crc32C(register, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
            }

            foreach (var b in data[(words.Length * sizeof(ulong))..])
            {
                register = BitOperations.Crc32C(register, b);
            }

            return register;
        }

        /// <summary>Product of two reflected polynomials modulo the CRC polynomial (bit 31 is x^0).</summary>
        private static uint Multiply(uint a, uint b)
        {
            uint product = 0;
            for (var bit = 1u << 31; bit != 0; bit >>= 1)
            {
                if ((a & bit) != 0)
                {
                    product ^= b;
                }

                b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
            }

            return product;
        }

        /// <summary>x^(8 * <paramref name="bytes"/>) modulo the polynomial: the register 1 (bit 31) run over that many zero bytes.</summary>
        private static uint ShiftOverZeros(int bytes) => Chain(1u << 31, new byte[bytes]);
    }
}
