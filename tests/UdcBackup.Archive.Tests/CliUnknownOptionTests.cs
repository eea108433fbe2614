using System.Text.Json;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// A mistyped option on the command line is refused as an unknown option (exit 2, nothing done)
/// instead of being taken as a positional value: a path to back up, a pattern that lists nothing.
/// </summary>
public sealed class CliUnknownOptionTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_mistyped_repo_option_is_refused_with_the_option_it_resembles_and_nothing_is_backed_up()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a"), [1, 2, 3]);

        var (code, output, error) = await UdcProcess.RunAsync(TestRepository.Password, "archive", "backup", "--rep", _repo.RepositoryPath, _repo.Source);

        code.Should().Be(2, output + error);
        error.Should().Contain("unknown option --rep; did you mean --repo?");
        using var repository = _repo.Open();
        repository.ListSnapshots().Should().BeEmpty();
    }

    [Fact]
    public async Task A_mistyped_option_after_a_snapshot_id_is_refused_instead_of_listing_nothing_as_a_pattern()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a"), [1, 2, 3]);
        await _repo.BackupAsync();

        var refused = await UdcProcess.RunAsync(TestRepository.Password, "archive", "ls", "--repo", _repo.RepositoryPath, "latest", "--recursve");
        var json = await UdcProcess.RunAsync(TestRepository.Password, "archive", "ls", "--repo", _repo.RepositoryPath, "latest", "-x", "--json");
        var afterDoubleDash = await UdcProcess.RunAsync(TestRepository.Password, "archive", "ls", "--repo", _repo.RepositoryPath, "latest", "--json", "--", "-x");

        refused.ExitCode.Should().Be(2, refused.Output + refused.Error);
        refused.Error.Should().Contain("unknown option --recursve").And.Contain("after '--'");
        refused.Output.Should().BeEmpty();
        json.ExitCode.Should().Be(2, json.Error);
        var problem = JsonDocument.Parse(json.Output).RootElement;
        problem.GetProperty("type").GetString().Should().Be("urn:udc:cli:bad-input");
        problem.GetProperty("detail").GetString().Should().Contain("unknown option -x");
        afterDoubleDash.ExitCode.Should().Be(0, "a value that starts with '-' is taken after '--': {0}", afterDoubleDash.Error);
        JsonDocument.Parse(afterDoubleDash.Output).RootElement.GetArrayLength().Should().Be(0, "no entry matches the pattern '-x'");
    }

    [Fact]
    public async Task Commands_outside_the_archive_group_refuse_an_unknown_option_the_same_way()
    {
        var (code, output, error) = await UdcProcess.RunAsync(TestRepository.Password, "backup", "start", "--sever", "http://127.0.0.1:9", "job-a");

        code.Should().Be(2, output + error);
        error.Should().Contain("unknown option --sever; did you mean --server?");
    }
}
