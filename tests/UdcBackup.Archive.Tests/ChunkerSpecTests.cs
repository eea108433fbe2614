using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using UdcBackup.Archive.Chunking;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// The chunker's cut points are part of the format (equal content must give equal chunks across
/// versions and writers): the optimized loop must cut exactly where the byte-at-a-time definition
/// of archive-format.md cuts, at each byte of its four-byte steps, both masks and the forced maximum.
/// </summary>
public sealed class ChunkerSpecTests
{
    [Theory]
    [InlineData(64, 256, 1024, 1)]
    [InlineData(100, 512, 2048, 2)]
    [InlineData(16 * 1024, 64 * 1024, 256 * 1024, 3)]
    [InlineData(131072, 524288, 2097152, 4)]
    public void Cuts_exactly_where_the_format_definition_cuts(int min, int avg, int max, int seed)
    {
        var chunker = new FastCdcChunker(min, avg, max);
        var data = SourceTree.Random(2_000_000 + (4 * max), seed);
        Array.Clear(data, 1_000_000, 3 * max); // a long zero run: cut at the maximum, never by a mask
        var cuts = 0;
        var steps = new HashSet<int>();
        for (var position = 0; position < data.Length;)
        {
            var window = data.AsSpan(position, Math.Min(max, data.Length - position));
            var length = chunker.NextBoundary(window);
            length.Should().Be(Reference(window, min, avg, max), $"chunk at {position}");
            steps.Add(length % 4);
            position += length;
            cuts++;
        }

        cuts.Should().BeGreaterThan(2);
        steps.Should().BeEquivalentTo([0, 1, 2, 3], "the loop takes four bytes per step: cuts fall after each of them");
    }

    [Fact]
    public void Short_inputs_of_every_parity_cut_like_the_definition()
    {
        var chunker = new FastCdcChunker(64, 128, 512);
        var data = SourceTree.Random(600, 5);
        for (var length = 0; length <= data.Length; length++)
        {
            var input = data.AsSpan(0, length);
            chunker.NextBoundary(input).Should().Be(Reference(input, 64, 128, 512), $"input of {length} bytes");
        }
    }

    /// <summary>The chunking pseudo-code of archive-format.md, one byte at a time.</summary>
    private static int Reference(ReadOnlySpan<byte> data, int min, int avg, int max)
    {
        if (data.Length <= min)
        {
            return data.Length;
        }

        var bits = System.Numerics.BitOperations.Log2((uint)avg);
        var strict = ulong.MaxValue << (64 - bits - 2);
        var loose = ulong.MaxValue << (64 - bits + 2);
        var end = Math.Min(data.Length, max);
        ulong h = 0;
        for (var i = min; i < end; i++)
        {
            h = (h << 1) + Gear[data[i]];
            if ((h & (i < avg ? strict : loose)) == 0)
            {
                return i + 1;
            }
        }

        return end;
    }

    private static readonly ulong[] Gear = Enumerable.Range(0, 256)
        .Select(i => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.ASCII.GetBytes($"udc-archive-gear-{i}"))))
        .ToArray();
}
