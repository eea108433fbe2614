using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Server.Api.Contracts;

namespace UdcBackup.Server.Tests.Infrastructure;

/// <summary>Typed calls to a running controller's HTTP API, for test set-up and assertions.</summary>
public static class ControllerApi
{
    public static async Task<WorkflowStarted> StartWorkflowAsync(this ServerProcess server, string type, object? input, string? id = null)
    {
        using var response = await server.Http.PostAsJsonAsync(new Uri("/api/workflows", UriKind.Relative), new { type, input, id }, ControllerClient.JsonOptions);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(body);
        return JsonSerializer.Deserialize<WorkflowStarted>(body, ControllerClient.JsonOptions)!;
    }

    public static async Task<WorkflowDetails> DescribeAsync(this ServerProcess server, string id)
    {
        var body = await server.Http.GetStringAsync(new Uri($"/api/workflows/{Uri.EscapeDataString(id)}", UriKind.Relative));
        return JsonSerializer.Deserialize<WorkflowDetails>(body, ControllerClient.JsonOptions)!;
    }

    /// <summary>Waits until the run is closed and returns its final description.</summary>
    public static async Task<WorkflowDetails> WaitClosedAsync(this ServerProcess server, string id, TimeSpan deadline)
    {
        WorkflowDetails? details = null;
        await Wait.UntilAsync(async () => (details = await server.DescribeAsync(id)).Status != "Running", deadline, $"workflow {id} to close");
        return details!;
    }

    public static async Task<string> GetRawAsync(this ServerProcess server, string path) =>
        await server.Http.GetStringAsync(new Uri(path, UriKind.Relative));
}
