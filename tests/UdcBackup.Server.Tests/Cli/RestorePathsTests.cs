using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Server.Tests.Site;
using static UdcBackup.Server.Tests.Site.SiteApiTests;

namespace UdcBackup.Server.Tests.Cli;

/// <summary>
/// A restore of selected paths: <c>paths</c> of <c>POST /api/restores</c> and <c>udc restore start
/// --path P</c> (repeatable). A path that is not absolute and normalized, or lies inside none of
/// the system's data sets (the sample site's db-1 has one, <c>/srv/db</c>), is a 400 naming it and
/// the data sets' paths (exit 2), and nothing starts; accepted paths narrow the run's data sets.
/// </summary>
public sealed class RestorePathsTests : IAsyncLifetime
{
    private const string SnapshotId = "snap-paths-0001";
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync();
        await SiteYaml.Site.ApplyAsync(_server, "restore-paths.yaml");
        await SiteYaml.Site.AddSnapshotAsync(_server, SnapshotId);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_path_outside_the_systems_data_sets_or_not_normalized_is_a_400_that_starts_nothing()
    {
        await ExpectProblemAsync(
            await RestoreAsync(["/srv/db/conf", "/srv/app/spool"]),
            HttpStatusCode.BadRequest,
            $"path '/srv/app/spool' is not inside a data set of {SiteYaml.FirstSystem}: name a path equal to or below one of /srv/db.");
        await ExpectProblemAsync(await RestoreAsync(["/srv/dbx"]), HttpStatusCode.BadRequest, "path '/srv/dbx' is not inside a data set");
        await ExpectProblemAsync(await RestoreAsync(["/srv/db/conf/"]), HttpStatusCode.BadRequest, "path '/srv/db/conf/' is not an absolute, normalized path");
        await ExpectProblemAsync(await RestoreAsync(["/srv/db/../etc"]), HttpStatusCode.BadRequest, "path '/srv/db/../etc' is not an absolute, normalized path");

        var cli = await _server.RunCliAsync(["restore", "start", "--system", SiteYaml.FirstSystem, "--snapshot", SnapshotId, "--path", "/etc/passwd"]);
        cli.ExitCode.Should().Be(2, cli.ToString());
        cli.Stderr.Should().Contain("path '/etc/passwd' is not inside a data set").And.Contain("/srv/db");
        (await _server.GetRawAsync("/api/jobs")).Should().Be("[]", "a refused restore starts nothing");
    }

    [Fact]
    public async Task Each_path_option_travels_to_the_run_whose_data_sets_are_narrowed_to_them()
    {
        var started = await _server.RunCliAsync(["restore", "start", "--system", SiteYaml.FirstSystem, "--snapshot", SnapshotId, "--path", "/srv/db/conf", "--path", "/srv/db/base/1"]);
        started.ExitCode.Should().Be(0, started.ToString());

        var input = (await _server.DescribeAsync(started.Stdout.Trim())).Input!.Value;
        Strings(input.GetProperty("paths")).Should().Equal("/srv/db/conf", "/srv/db/base/1");
        var dataSet = input.GetProperty("dataSets").EnumerateArray().Should().ContainSingle().Subject;
        dataSet.GetProperty("name").GetString().Should().Be("data");
        Strings(dataSet.GetProperty("paths")).Should().Equal("/srv/db/conf", "/srv/db/base/1");

        var shown = await _server.RunCliAsync(["workflow", "show", started.Stdout.Trim()]);
        shown.ExitCode.Should().Be(0, shown.ToString());
        shown.Stdout.Should().Contain("\"paths\":[\"/srv/db/conf\",\"/srv/db/base/1\"]", "the run's input shows the selection");
    }

    private static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString());

    private Task<HttpResponseMessage> RestoreAsync(string[] paths) =>
        _server.Http.PostAsJsonAsync(new Uri("/api/restores", UriKind.Relative), new { system = SiteYaml.FirstSystem, snapshot = SnapshotId, paths });
}
