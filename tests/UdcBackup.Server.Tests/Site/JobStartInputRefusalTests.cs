using System.Net;
using System.Net.Http.Json;
using UdcBackup.Server.Tests.Infrastructure;
using static UdcBackup.Server.Tests.Site.SiteApiTests;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// A restore whose built input the runtime refuses at start (its own <c>Problems()</c>: here an
/// empty repository name) is the operator's mistake: a 400 naming the problem, nothing started,
/// not a 500 from the runtime's refusal escaping the endpoint.
/// </summary>
public sealed class JobStartInputRefusalTests : IAsyncLifetime
{
    private const string SnapshotId = "snap-input-0001";
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_restore_whose_input_fails_its_own_check_is_a_400_naming_the_problem_and_starts_nothing()
    {
        await SiteYaml.Site.ApplyAsync(_server, "input-refusal.yaml");
        await SiteYaml.Site.AddSnapshotAsync(_server, SnapshotId);

        await ExpectProblemAsync(
            await _server.Http.PostAsJsonAsync(new Uri("/api/restores", UriKind.Relative), new { system = SiteYaml.FirstSystem, snapshot = SnapshotId, repository = string.Empty }),
            HttpStatusCode.BadRequest,
            "repository is required");
        (await _server.GetRawAsync("/api/workflows")).Should().Be("[]", "the refused restore started nothing");
    }
}
