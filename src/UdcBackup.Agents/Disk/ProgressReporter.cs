using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using UdcBackup.Agents.Hosting;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// Writes a transfer's NDJSON answer: after <see cref="StartAsync"/> (200, first line
/// <c>resume</c>), a <c>progress</c> line at most every <see cref="Every"/> while the counters move
/// and at least every <see cref="AtLeastEvery"/> (so the controller's heartbeat sees a live agent),
/// then one final <c>result</c> or <c>error</c> line. Each line is flushed as written; writes are
/// serialized so the periodic lines never interleave with the final one.
/// </summary>
internal sealed class ProgressReporter(HttpContext context, ProgressTracker tracker, TimeProvider time) : IAsyncDisposable
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan AtLeastEvery = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>True once the 200 answer has begun (failures must then be reported as an error line).</summary>
    public bool Started { get; private set; }

    /// <summary>Whether the caller asked for NDJSON progress.</summary>
    public static bool Wanted(HttpContext context) =>
        context.Request.Headers.Accept.Any(a => a?.Contains(AgentHeaders.NdJsonContentType, StringComparison.OrdinalIgnoreCase) == true);

    public async Task StartAsync(TransferCounters resume)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = AgentHeaders.NdJsonContentType;
        Started = true;
        await WriteAsync(new TransferLine(TransferLine.ResumeType) { Progress = resume });
        _loop = LoopAsync(_stop.Token);
    }

    public async Task FinishAsync(TransferLine last)
    {
        await StopAsync();
        if (!Started)
        {
            await StartAsync(new TransferCounters());
            await StopAsync();
        }

        await WriteAsync(new TransferLine(TransferLine.ProgressType) { Progress = tracker.Snapshot() });
        await WriteAsync(last);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _write.Dispose();
    }

    private async Task StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
#pragma warning disable VSTHRD003 // the loop was started by this object
            await _loop;
#pragma warning restore VSTHRD003
        }
        catch (OperationCanceledException)
        {
            // Stopping is the expected end of the loop.
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Every, time);
        var last = tracker.Snapshot();
        var lastWritten = time.GetUtcNow();
        while (await timer.WaitForNextTickAsync(ct))
        {
            var now = tracker.Snapshot();
            if (now != last || time.GetUtcNow() - lastWritten >= AtLeastEvery)
            {
                await WriteAsync(new TransferLine(TransferLine.ProgressType) { Progress = now });
                last = now;
                lastWritten = time.GetUtcNow();
            }
        }
    }

    private async Task WriteAsync(TransferLine line)
    {
        await _write.WaitAsync();
        try
        {
            await context.Response.WriteAsync(JsonSerializer.Serialize(line, Json) + "\n");
            await context.Response.Body.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The controller went away; the transfer notices through the request's abort token.
        }
        finally
        {
            _write.Release();
        }
    }
}
