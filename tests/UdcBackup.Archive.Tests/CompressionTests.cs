using UdcBackup.Archive.Format;
using UdcBackup.Archive.Native;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// Which blobs are stored compressed: incompressible data is recognised by the sample probe and
/// stored raw without a full compression, compressible data (also mixed into random data) is
/// compressed, and both round-trip through a backup and a restore.
/// </summary>
public sealed class CompressionTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Random_data_is_declared_incompressible_by_the_probe_without_a_full_compression()
    {
        using var compressor = new BlobCompressor(3);
        var random = SourceTree.Random(1 << 20, 11);
        var destination = new byte[BlobCompressor.DestinationSize(random.Length)];

        compressor.TryCompress(random, destination).Should().Be(-1);
        compressor.Skipped.Should().Be(1, "the sample, not a full compression, decided");
    }

    [Fact]
    public void Text_and_random_data_with_a_run_of_zeros_are_compressed()
    {
        using var compressor = new BlobCompressor(3);
        var text = SourceTree.Text(1 << 20, 12);
        var mixed = SourceTree.Random(1 << 20, 13);
        Array.Clear(mixed, 300_000, 40_000); // a zero run just over one probe stride
        var destination = new byte[BlobCompressor.DestinationSize(1 << 20)];
        using var zstd = new Zstd(3);
        var back = new byte[1 << 20];

        foreach (var plain in new[] { text, mixed, SourceTree.Text(5000, 14) })
        {
            var length = compressor.TryCompress(plain, destination);
            length.Should().BePositive().And.BeLessThan(plain.Length - (plain.Length / 32));
            zstd.Decompress(destination.AsSpan(0, length), back).Should().Be(plain.Length);
            back.AsSpan(0, plain.Length).SequenceEqual(plain).Should().BeTrue();
        }

        compressor.Skipped.Should().Be(0);
    }

    [Fact]
    public void Small_random_blobs_are_tried_in_full_and_stored_raw_when_zstd_does_not_pay()
    {
        using var compressor = new BlobCompressor(3);
        var destination = new byte[BlobCompressor.DestinationSize(8192)];

        compressor.TryCompress(SourceTree.Random(8192, 15), destination).Should().Be(-1);
        compressor.TryCompress(new byte[63], destination).Should().Be(-1, "blobs under 64 bytes stay raw");
        compressor.Skipped.Should().Be(0, "below the probe threshold zstd itself decides");
    }

    [Fact]
    public async Task Incompressible_chunks_are_stored_raw_and_compressible_ones_compressed_and_both_restore()
    {
        var random = SourceTree.Random(3 << 20, 16);
        var text = SourceTree.Text(3 << 20, 17);
        SourceTree.WriteFile(Path.Join(_repo.Source, "random.bin"), random);
        SourceTree.WriteFile(Path.Join(_repo.Source, "text.log"), text);

        var snapshot = await _repo.BackupAsync();

        using (var repository = _repo.Open())
        {
            var ids = repository.Index.Blobs.ToDictionary(b => b.Key, b => b.Value.Blob);
            var entries = Snapshots.SnapshotReader.ReadEntries(repository, snapshot).ToDictionary(e => Path.GetFileName(e.Path));
            entries["random.bin"].Content.Should().NotBeEmpty();
            entries["random.bin"].Content.Should().OnlyContain(c => !ids[c.Id].Compressed);
            entries["text.log"].Content.Should().OnlyContain(c => ids[c.Id].Compressed && ids[c.Id].Length < c.Length / 2);
        }

        var (target, result) = await _repo.RestoreAsync(snapshot);
        result.DamagedFiles.Should().BeEmpty();
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target), compareOwner: SourceTree.IsRoot);
    }
}
