using UdcBackup.Archive.Backup;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// A failure to store a new blob in a pack (here the repository's <c>tmp/</c> folder is no folder)
/// fails the whole backup: the readers, which store their files' blobs themselves, must not take it
/// for an unreadable source file, skip that file and commit a snapshot without it.
/// </summary>
public sealed class StoreFailureTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_pack_that_cannot_be_written_fails_the_backup_and_saves_no_snapshot()
    {
        for (var i = 0; i < 6; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"f{i}.bin"), SourceTree.Random(200_000, i));
        }

        var temp = Path.Join(_repo.RepositoryPath, "tmp");
        Directory.Delete(temp);
        await File.WriteAllTextAsync(temp, "not a folder");

        var backup = async () => await _repo.BackupAsync();

        (await backup.Should().ThrowAsync<IOException>()).Which.Message.Should().Contain(temp);
        Directory.EnumerateFiles(Path.Join(_repo.RepositoryPath, "snapshots")).Should().BeEmpty();
    }
}
