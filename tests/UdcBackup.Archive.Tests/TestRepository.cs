using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Restore;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Tests;

/// <summary>A temp folder with a source tree, a repository and restore targets; removed on dispose.</summary>
public sealed class TestRepository : IDisposable
{
    public const string Password = "correct horse battery staple";

    public TestRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "udc-archive-tests", Guid.NewGuid().ToString("N"));
        Source = Path.Combine(Root, "source");
        RepositoryPath = Path.Combine(Root, "repo");
        Directory.CreateDirectory(Source);
        using var repository = ArchiveRepository.Init(RepositoryPath, Password, kdfIterations: 1000);
    }

    public string Root { get; }

    public string Source { get; }

    public string RepositoryPath { get; }

    public ArchiveRepository Open() => ArchiveRepository.Open(RepositoryPath, Password);

    public async Task<Snapshot> BackupAsync(string? parent = null, IReadOnlyDictionary<string, string>? tags = null, string? path = null)
    {
        using var repository = Open();
        var options = new BackupOptions { Paths = [path ?? Source], Parent = parent, Tags = tags ?? new Dictionary<string, string>() };
        return await new FileSystemBackup(repository, options).RunAsync(CancellationToken.None);
    }

    public async Task<(string Target, RestoreResult Result)> RestoreAsync(Snapshot snapshot, string? target = null, IReadOnlyList<string>? includes = null, OverwritePolicy overwrite = OverwritePolicy.IfChanged)
    {
        target ??= Path.Combine(Root, "restore-" + Guid.NewGuid().ToString("N")[..8]);
        using var repository = Open();
        var result = await new Restorer(repository, new RestoreOptions { Target = target, Includes = includes ?? [], Overwrite = overwrite })
            .RunAsync(repository.FindSnapshot(snapshot.Id.ToString()), CancellationToken.None);
        return (target, result);
    }

    /// <summary>Where the source folder lands inside a restore target.</summary>
    public string RestoredSource(string target) => Path.Join(target, Source.TrimStart('/'));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
