using System.Net.Http.Json;
using System.Text.Json;

namespace UdcBackup.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Starts backup and restore runs through the controller's API and reads them back
/// (<c>GET /api/jobs/{id}</c>): status, each system's line, the running stream's totals.
/// Every read goes to whichever controller process runs now, so it works across restarts.
/// </summary>
public static class JobProbe
{
    public static async Task<string> StartBackupAsync(this ControllerInZone controller, string job)
    {
        using var response = await controller.Http.PostAsJsonAsync(new Uri("/api/backups", UriKind.Relative), new { job });
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"backup {job} starts: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<string> StartRestoreAsync(this ControllerInZone controller, string system, string snapshot)
    {
        using var response = await controller.Http.PostAsJsonAsync(new Uri("/api/restores", UriKind.Relative), new { system, snapshot });
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"restore of {snapshot} to {system} starts: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> JobAsync(this ControllerInZone controller, string id) =>
        JsonDocument.Parse(await controller.Http.GetStringAsync(new Uri($"/api/jobs/{Uri.EscapeDataString(id)}", UriKind.Relative))).RootElement;

    /// <summary>The line of <paramref name="system"/> in a backup run's progress (null before the run reported it).</summary>
    public static JsonElement? SystemLine(JsonElement job, string system) =>
        job.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonValueKind.Object
        && progress.TryGetProperty("systems", out var systems) && systems.ValueKind == JsonValueKind.Array
            ? systems.EnumerateArray().Where(s => s.GetProperty("systemId").GetString() == system).Select(s => (JsonElement?)s).FirstOrDefault()
            : null;

    /// <summary>Bytes the running stream has reported so far (its heartbeat), 0 when none runs.</summary>
    public static long StreamingBytes(JsonElement job) =>
        job.TryGetProperty("runningTransfers", out var transfers) && transfers.ValueKind == JsonValueKind.Array
            ? transfers.EnumerateArray().Sum(t => t.TryGetProperty("bytes", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetInt64() : 0)
            : 0;

    /// <summary>
    /// The run's pending stream activity as the workflow API describes it (<c>attempt</c>,
    /// <c>lastStartedTime</c>, <c>heartbeatDetails</c>, <c>lastHeartbeatTime</c>), null when none is pending.
    /// </summary>
    public static async Task<JsonElement?> StreamActivityAsync(this ControllerInZone controller, string id)
    {
        var run = JsonDocument.Parse(await controller.Http.GetStringAsync(new Uri($"/api/workflows/{Uri.EscapeDataString(id)}", UriKind.Relative))).RootElement;
        return run.TryGetProperty("pendingActivities", out var pending) && pending.ValueKind == JsonValueKind.Array
            ? pending.EnumerateArray().Where(a => a.GetProperty("activityType").GetString()!.StartsWith("data.stream", StringComparison.Ordinal)).Select(a => (JsonElement?)a).FirstOrDefault()
            : null;
    }

    /// <summary>Waits until the run is closed; returns its last reading.</summary>
    public static async Task<JsonElement> WaitClosedAsync(this ControllerInZone controller, string id, TimeSpan deadline, Func<string> diagnostics)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var job = await controller.JobAsync(id);
            if (job.GetProperty("status").GetString() != "Running")
            {
                return job;
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"run {id} still running after {deadline.TotalSeconds:0} s: {job}{Environment.NewLine}{diagnostics()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the run's reading.</summary>
    public static async Task WaitForAsync(this ControllerInZone controller, string id, Func<JsonElement, bool> condition, TimeSpan deadline, string what, Func<string> diagnostics)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JsonElement job = default;
        while (!condition(job = await controller.JobAsync(id)))
        {
            if (clock.Elapsed > deadline || job.GetProperty("status").GetString() != "Running")
            {
                throw new TimeoutException($"run {id}: {what} did not happen (status {job.GetProperty("status").GetString()}): {job}{Environment.NewLine}{diagnostics()}");
            }

            await Task.Delay(20);
        }
    }
}
