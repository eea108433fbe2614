using System.Net;
using System.Text.Json;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Host;

/// <summary>The controller as operators run it: `udc server` as its own process.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task A_bad_setting_stops_start_up_with_its_name_and_exit_code_2()
    {
        var data = Directory.CreateTempSubdirectory("udc-bad-setting-");
        try
        {
            var result = await CliRun.ChildAsync(["server", "--data", data.FullName], new Dictionary<string, string> { ["UDC_WORKERS__ACTIVITYCONCURRENCY"] = "0" });

            result.ExitCode.Should().Be(2, result.ToString());
            result.Stderr.Should().Contain("Workers:ActivityConcurrency: must be between 1 and 1024");
            File.Exists(Path.Combine(data.FullName, "workflows.db")).Should().BeFalse("nothing starts when a setting is bad");
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_server_answers_health_and_publishes_its_OpenAPI_document()
    {
        await using var server = await ServerProcess.StartAsync();

        var health = await server.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative));
        var openApi = await server.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        JsonDocument.Parse(health).RootElement.GetProperty("status").GetString().Should().Be("ok");
        var paths = JsonDocument.Parse(openApi).RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Should().Contain(["/healthz", "/api/workflows", "/api/workflows/{id}", "/api/workflows/{id}/signals/{name}", "/api/workflows/{id}/cancel", "/api/schedules", "/api/schedules/{id}/trigger"]);
        Directory.GetFiles(Path.Combine(server.DataDirectory, "logs"), "udc-*.log").Should().NotBeEmpty("the server logs to a file under its data directory");
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_details_404()
    {
        await using var server = await ServerProcess.StartAsync();

        using var response = await server.Http.GetAsync(new Uri("/api/nothing-here", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_directory_refuses_to_start()
    {
        await using var server = await ServerProcess.StartAsync();

        var second = await CliRun.ChildAsync(["server", "--data", server.DataDirectory, "--urls", "http://127.0.0.1:0"]);

        second.ExitCode.Should().Be(1, second.ToString());
        second.Stderr.Should().Contain("is in use by another udc server");
        (await server.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode.Should().BeTrue("the first server is untouched");
    }

    [Fact]
    public async Task A_killed_server_restarts_on_the_same_data_directory()
    {
        await using var server = await ServerProcess.StartAsync();
        var first = server.BaseAddress;

        server.Kill();
        await server.RestartAsync();

        var health = await server.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative));
        JsonDocument.Parse(health).RootElement.GetProperty("dataDirectory").GetString().Should().Be(server.DataDirectory);
        server.BaseAddress.Should().NotBeNull();
        first.Should().NotBeNull();
    }
}
