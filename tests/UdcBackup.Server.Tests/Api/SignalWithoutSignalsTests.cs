using System.Net;
using System.Net.Http.Json;
using UdcBackup.Server.Tests.Infrastructure;
using static UdcBackup.Server.Tests.Site.SiteApiTests;

namespace UdcBackup.Server.Tests.Api;

/// <summary>
/// A signal to a run whose workflow type takes none is a 400 that says so (not "Known: ." with an
/// empty list), through the API and <c>udc workflow signal</c> (exit 2).
/// </summary>
public sealed class SignalWithoutSignalsTests : IAsyncLifetime
{
    private const string Refusal = "Workflow type 'diag.steps' has no signal 'note'. It takes no signals.";
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_signal_to_a_type_without_signals_is_a_400_saying_it_takes_none()
    {
        const string id = "signal-none";
        using (var started = await _server.Http.PostAsJsonAsync(new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", id, input = new { steps = 2, stepMillis = 600_000 } }))
        {
            started.StatusCode.Should().Be(HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        }

        await ExpectProblemAsync(
            await _server.Http.PostAsJsonAsync(new Uri($"/api/workflows/{id}/signals/note", UriKind.Relative), new { input = "hello" }),
            HttpStatusCode.BadRequest,
            Refusal);

        var cli = await _server.RunCliAsync("workflow", "signal", id, "note", "--input", "\"hello\"");
        cli.ExitCode.Should().Be(2, cli.ToString());
        cli.Stderr.Should().Contain(Refusal);
    }
}
