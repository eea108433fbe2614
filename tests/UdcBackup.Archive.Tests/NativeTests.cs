using UdcBackup.Archive.Chunking;
using UdcBackup.Archive.Native;

namespace UdcBackup.Archive.Tests;

/// <summary>The libzstd binding and the chunker behave as the format requires.</summary>
public sealed class NativeTests
{
    [Fact]
    public void Zstd_round_trips_and_reports_damage()
    {
        using var zstd = new Zstd(3);
        var text = SourceTree.Text(200_000, 1);
        var compressed = new byte[Zstd.CompressBound(text.Length)];
        var length = zstd.Compress(text, compressed);
        length.Should().BeLessThan(text.Length / 2);
        Zstd.FrameContentSize(compressed.AsSpan(0, length)).Should().Be(text.Length);
        var back = new byte[text.Length];
        zstd.Decompress(compressed.AsSpan(0, length), back).Should().Be(text.Length);
        back.Should().Equal(text);

        compressed[length / 2] ^= 0xFF;
        compressed[(length / 2) + 1] ^= 0xFF;
        var act = () => zstd.Decompress(compressed.AsSpan(0, length / 2), back);
        act.Should().Throw<InvalidDataException>().WithMessage("zstd:*");
    }

    [Fact]
    public void Chunk_boundaries_survive_an_insertion_before_them()
    {
        var chunker = new FastCdcChunker(16 * 1024, 64 * 1024, 256 * 1024);
        var data = SourceTree.Random(4_000_000, 1);
        var shifted = new byte[data.Length + 100];
        SourceTree.Random(100, 2).CopyTo(shifted, 0);
        data.CopyTo(shifted, 100);

        var a = Boundaries(chunker, data);
        var b = Boundaries(chunker, shifted).Select(x => x - 100).ToHashSet();

        a.Count.Should().BeInRange(30, 120, "about one chunk per 64 KiB");
        a.Count(b.Contains).Should().BeGreaterThan(a.Count - 3, "all but the first boundaries are found again");
    }

    private static List<long> Boundaries(FastCdcChunker chunker, byte[] data)
    {
        var result = new List<long>();
        var position = 0;
        while (position < data.Length)
        {
            var length = chunker.NextBoundary(data.AsSpan(position, Math.Min(chunker.MaxSize, data.Length - position)));
            length.Should().BeGreaterThan(0);
            position += length;
            result.Add(position);
        }

        return result;
    }
}
