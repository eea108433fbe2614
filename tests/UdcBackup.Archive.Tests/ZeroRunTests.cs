using UdcBackup.Archive.Chunking;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// Long runs of zeros are cut and identified without running the gear hash or the blob-id hash over them;
/// the chunks must be exactly those the format's chunking gives, with the ids of their bytes.
/// </summary>
public sealed class ZeroRunTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_file_with_zero_runs_is_cut_and_identified_as_the_definition_cuts_it()
    {
        RepositoryConfig config;
        using (var repository = _repo.Open())
        {
            config = repository.Config;
        }

        // Zero runs longer and shorter than a maximum chunk, at odd offsets, between random data.
        var data = SourceTree.Random((6 * config.ChunkMax) + (5 * config.ChunkMin) + 12_345, 7);
        Array.Clear(data, 100_001, (3 * config.ChunkMax) + 999);
        Array.Clear(data, data.Length - config.ChunkMax - 77, config.ChunkMax - 1000);
        SourceTree.WriteFile(Path.Join(_repo.Source, "image.bin"), data);

        var snapshot = await _repo.BackupAsync();

        using (var repository = _repo.Open())
        {
            var chunks = SnapshotReader.ReadEntries(repository, repository.FindSnapshot(snapshot.Id.ToString()))
                .Single(e => e.Path.EndsWith("image.bin", StringComparison.Ordinal)).Content;
            chunks.Select(c => (c.Offset, c.Length, c.Id)).Should().Equal(ChunkCuts.Of(data, new FastCdcChunker(config.ChunkMin, config.ChunkAverage, config.ChunkMax), config.BlobIdOf));
            chunks.GroupBy(c => c.Id).Should().Contain(g => g.Count() >= 2, "the zero run covers two whole maximum chunks, the same chunk twice");
        }

        var (target, _) = await _repo.RestoreAsync(snapshot);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
    }
}
