using UdcBackup.Archive.Restore;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Tests;

/// <summary>How a restore hands entries to its workers: siblings together, so workers create in different folders.</summary>
public sealed class SiblingBatchesTests
{
    [Fact]
    public void Siblings_share_a_batch_and_batches_keep_the_order_their_folders_first_appear_in()
    {
        var entries = new[] { File("a/1", 10), File("b/1", 10), File("a/2", 10), File("top", 10), File("b/2", 10), File("a/x/1", 10) };

        var batches = SiblingBatches.Of(entries, 64, 1 << 20);

        batches.Select(b => b.Select(e => e.Path)).Should().BeEquivalentTo(
            new[] { new[] { "a/1", "a/2" }, ["b/1", "b/2"], ["top"], ["a/x/1"] },
            o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_batch_ends_at_the_entry_or_byte_limit_so_a_large_folder_still_spreads_over_workers()
    {
        var many = Enumerable.Range(0, 5).Select(i => File($"d/{i}", 1)).ToList();
        SiblingBatches.Of(many, 2, long.MaxValue).Select(b => b.Count).Should().Equal(2, 2, 1);

        var large = new[] { File("d/big1", 5_000), File("d/small", 10), File("d/big2", 5_000), File("d/big3", 5_000) };
        SiblingBatches.Of(large, 64, 4_000).Select(b => b.Select(e => e.Path)).Should().BeEquivalentTo(
            new[] { new[] { "d/big1" }, ["d/small", "d/big2"], ["d/big3"] },
            o => o.WithStrictOrdering());
    }

    [Fact]
    public void Every_entry_is_in_exactly_one_batch()
    {
        var entries = Enumerable.Range(0, 500).Select(i => File($"f{i % 7}/g{i % 3}/{i}", i)).ToList();

        var batches = SiblingBatches.Of(entries, 8, 900);

        batches.SelectMany(b => b).Select(e => e.Path).Should().BeEquivalentTo(entries.Select(e => e.Path));
        batches.Select(b => b.Select(e => Path.GetDirectoryName(e.Path)).Distinct().Count()).Should().OnlyContain(folders => folders == 1);
    }

    private static ArchiveEntry File(string path, long size) => new() { Path = path, Type = EntryType.File, Size = size };
}
