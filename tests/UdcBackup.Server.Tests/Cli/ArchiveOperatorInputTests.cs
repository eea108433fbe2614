using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Cli;

/// <summary>
/// <c>udc archive</c> given what an operator mistypes: the command must stop with exit 2 and a
/// message saying what to give instead, and leave the repository as it was.
/// </summary>
public sealed class ArchiveOperatorInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("udc-archive-input-").FullName;

    private string Repository => Path.Join(_folder, "repo");

    private string PasswordFile => Path.Join(_folder, "password");

    private string Source => Path.Join(_folder, "source");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("--keep-last")]
    [InlineData("--keep-hourly")]
    [InlineData("--keep-daily")]
    [InlineData("--keep-weekly")]
    [InlineData("--keep-monthly")]
    [InlineData("--keep-yearly")]
    public async Task A_negative_keep_count_is_refused_and_forgets_nothing(string rule)
    {
        await InitAndBackUpAsync();

        var result = await ArchiveAsync("forget", rule, "-1", "--prune");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain(rule).And.Contain("0 or more");
        (await SnapshotCountAsync()).Should().Be(1, "a refused forget removes nothing");
    }

    [Fact]
    public async Task A_backup_of_a_folder_holding_the_repository_is_refused_unless_the_repository_is_excluded()
    {
        await InitAndBackUpAsync();

        var around = await ArchiveAsync("backup", _folder);
        var inside = await ArchiveAsync("backup", Path.Join(Repository, "keys"));

        around.ExitCode.Should().Be(2, around.ToString());
        around.Stderr.Should().Contain(Repository).And.Contain("--exclude");
        inside.ExitCode.Should().Be(2, inside.ToString());
        inside.Stderr.Should().Contain("inside the repository");
        (await SnapshotCountAsync()).Should().Be(1, "a refused backup stores nothing");

        var excluded = await ArchiveAsync("backup", _folder, "--exclude", Repository);
        excluded.ExitCode.Should().Be(0, excluded.ToString());
        (await SnapshotCountAsync()).Should().Be(2);
    }

    [Fact]
    public async Task Init_on_a_folder_that_is_not_empty_is_bad_input_and_leaves_it_as_it_was()
    {
        await InitAndBackUpAsync();
        var before = Directory.GetFiles(Repository, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        var again = await ArchiveAsync("init");

        again.ExitCode.Should().Be(2, again.ToString());
        again.Stderr.Should().Contain("not empty");
        Directory.GetFiles(Repository, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Should().Equal(before);
        (await SnapshotCountAsync()).Should().Be(1);
    }

    private async Task InitAndBackUpAsync()
    {
        await File.WriteAllTextAsync(PasswordFile, "correct horse battery staple\n");
        Directory.CreateDirectory(Source);
        await File.WriteAllTextAsync(Path.Join(Source, "a.txt"), "hello");
        (await ArchiveAsync("init")).ExitCode.Should().Be(0);
        var backup = await ArchiveAsync("backup", Source);
        backup.ExitCode.Should().Be(0, backup.ToString());
    }

    private async Task<int> SnapshotCountAsync()
    {
        var list = await ArchiveAsync("snapshots", "--json");
        list.ExitCode.Should().Be(0, list.ToString());
        using var document = System.Text.Json.JsonDocument.Parse(list.Stdout);
        return document.RootElement.GetArrayLength();
    }

    private Task<CliResult> ArchiveAsync(params string[] args) =>
        CliRun.InProcessAsync(["archive", .. args, "--repo", Repository, "--password-file", PasswordFile]);
}
