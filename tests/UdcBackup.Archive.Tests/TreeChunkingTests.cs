using FluentAssertions;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Chunking;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// A snapshot's tree stream is cut into chunks while it is built; the chunks must be the ones a cut
/// of the whole finished stream gives, or unchanged trees would stop deduplicating against older
/// snapshots.
/// </summary>
public sealed class TreeChunkingTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_tree_of_many_chunks_is_cut_as_the_whole_stream_would_be()
    {
        using var repository = _repo.Open();
        Snapshot snapshot;
        await using (var session = BackupSession.Start(repository, new BackupOptions { Paths = ["/synthetic"], Parent = "none" }))
        {
            // About 6 MiB of records with varied lengths, so that boundaries fall at content-defined
            // places and the builder cuts several times before the end.
            for (var i = 0; i < 40_000; i++)
            {
                session.Add(new ArchiveEntry
                {
                    Path = $"synthetic/folder-{i / 100:D4}/file-{i:D6}-{new string('x', i % 97)}",
                    Type = EntryType.File,
                    Mode = 0x1A4,
                    ModifiedNs = 1_700_000_000_000_000_000L + (i * 7_919L),
                    Size = i * 31L,
                    Inode = (ulong)i + 1,
                });
            }

            snapshot = await session.CommitAsync(CancellationToken.None);
        }

        var stream = SnapshotReader.ReadStream(repository, snapshot);
        var whole = new FastCdcChunker(64 * 1024, 256 * 1024, 1024 * 1024);
        var expected = ChunkCuts.Of(stream, whole, repository.Config.BlobIdOf).Select(cut => cut.Id.ToString()).ToList();

        expected.Should().HaveCountGreaterThan(8, "the test needs a tree the builder cuts more than once");
        snapshot.Tree.Should().Equal(expected);
        SnapshotReader.ReadEntries(repository, snapshot).Should().HaveCount(40_000);
    }
}
