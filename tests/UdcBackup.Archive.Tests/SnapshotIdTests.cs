using FluentAssertions;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Archive.Tests;

/// <summary>How a snapshot is named on the command line: full id, unique hex prefix or "latest", nothing else.</summary>
public sealed class SnapshotIdTests
{
    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("*")]
    [InlineData("../")]
    public async Task A_name_that_is_not_hex_is_refused_even_when_one_snapshot_would_match_any_prefix(string name)
    {
        using var test = new TestRepository();
        await File.WriteAllTextAsync(Path.Combine(test.Source, "a.txt"), "a");
        await test.BackupAsync();
        using var repository = test.Open();

        var find = () => repository.FindSnapshot(name);

        find.Should().Throw<ArchiveException>().Which.Code.Should().Be(ArchiveErrorCode.InvalidArgument);
    }

    [Fact]
    public async Task The_full_id_a_prefix_and_latest_find_the_snapshot()
    {
        using var test = new TestRepository();
        await File.WriteAllTextAsync(Path.Combine(test.Source, "a.txt"), "a");
        var snapshot = await test.BackupAsync();
        using var repository = test.Open();
        var id = snapshot.Id.ToString();

        repository.FindSnapshot(id).Id.Should().Be(snapshot.Id);
        repository.FindSnapshot(id[..8].ToUpperInvariant()).Id.Should().Be(snapshot.Id);
        repository.FindSnapshot("latest").Id.Should().Be(snapshot.Id);
    }
}
