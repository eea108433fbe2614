using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Tests;

/// <summary>--exclude and --exclude-file leave out matching names and paths, and nothing below an excluded folder.</summary>
public sealed class ExcludeTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Name_patterns_match_at_any_depth_and_path_patterns_match_the_whole_path()
    {
        var filter = new ExcludeFilter(["*.tmp", ".cache", "/srv/data/logs/**/*.gz", "# a comment", " "]);

        filter.Excludes("/srv/a.tmp").Should().BeTrue();
        filter.Excludes("/srv/x/y/b.tmp").Should().BeTrue();
        filter.Excludes("/home/u/.cache").Should().BeTrue();
        filter.Excludes("home/u/.cache/deep/file").Should().BeTrue("below an excluded name, in entry-stream form too");
        filter.Excludes("/srv/data/logs/2026/11/app.gz").Should().BeTrue();
        filter.Excludes("/srv/data/old/app.gz").Should().BeFalse();
        filter.Excludes("/srv/a.tmpx").Should().BeFalse();
        filter.Excludes("/srv/.cachex").Should().BeFalse();
        new ExcludeFilter([]).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public async Task Cli_backup_leaves_out_excluded_files_and_folders()
    {
        var s = _repo.Source;
        SourceTree.WriteFile(Path.Join(s, "keep.txt"), SourceTree.Text(100, 1));
        SourceTree.WriteFile(Path.Join(s, "scratch.tmp"), SourceTree.Text(100, 2));
        SourceTree.WriteFile(Path.Join(s, "deep", "more", "x.tmp"), SourceTree.Text(100, 3));
        SourceTree.WriteFile(Path.Join(s, "node_modules", "pkg", "index.js"), SourceTree.Text(100, 4));
        SourceTree.WriteFile(Path.Join(s, "data", "secret", "key.pem"), SourceTree.Text(100, 5));
        SourceTree.WriteFile(Path.Join(s, "data", "public", "readme"), SourceTree.Text(100, 6));
        var excludeFile = Path.Join(_repo.Root, "excludes");
        await File.WriteAllTextAsync(excludeFile, $"# build output\nnode_modules\n\n{s}/data/secret\n");

        var (code, _, error) = await UdcProcess.RunAsync(TestRepository.Password, "archive", "backup", "--repo", _repo.RepositoryPath, s, "--exclude", "*.tmp", "--exclude-file", excludeFile);

        code.Should().Be(0, error);
        using var repository = _repo.Open();
        var prefix = s.TrimStart('/');
        var paths = SnapshotReader.ReadEntries(repository, repository.FindSnapshot("latest"))
            .Where(e => e.Path.StartsWith(prefix + "/", StringComparison.Ordinal))
            .Select(e => e.Path[prefix.Length..])
            .ToList();
        paths.Should().Contain(["/keep.txt", "/deep/more", "/data/public/readme"]);
        paths.Should().NotContain(p => p.EndsWith(".tmp", StringComparison.Ordinal) || p.Contains("node_modules", StringComparison.Ordinal) || p.Contains("secret", StringComparison.Ordinal));
    }
}
