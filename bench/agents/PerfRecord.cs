using System.Diagnostics;
using System.Globalization;

namespace UdcBackup.Agents.Bench;

/// <summary>
/// <c>perf record -F 199 -g -p PID</c> on one agent for a stretch of the bench (<c>--perf DIR</c>): started
/// before the timed backup, stopped with SIGINT after it so perf writes its file; the agents run on, so
/// the profile holds the timed backup only, and what the runtime compiled meanwhile (see <see cref="StopAsync"/>). A perf that fails to start fails the bench (the profile was
/// asked for); one that does not stop within a minute is killed and its file is then likely unreadable.
/// </summary>
internal sealed class PerfRecord : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _map;
    private readonly long _mapStart;
    private readonly string _output;
    private bool _stopped;

    private PerfRecord(Process process, string map, string output)
    {
        _process = process;
        _map = map;
        _mapStart = File.Exists(map) ? new FileInfo(map).Length : 0;
        _output = output;
    }

    public static async Task<PerfRecord> StartAsync(int pid, string output)
    {
        var info = new ProcessStartInfo("perf") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "record", "-F", "199", "-g", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", output })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start perf");
        _ = process.StandardError.ReadToEndAsync(); // its summary at the end; a full pipe would block it

        // perf says nothing when it has attached; give it a moment, and fail early if it exited (no permission, no perf).
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        return process.HasExited ? throw new InvalidOperationException($"perf record -p {pid} exited with {process.ExitCode}")
            : new PerfRecord(process, $"/tmp/perf-{pid}.map", output);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (!_process.HasExited)
        {
            await Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExitAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        // What the runtime compiled while perf sampled: the lines its perf map (DOTNET_PerfMapEnabled=1)
        // gained, with the tier when DOTNET_PerfMapShowOptimizationTiers=1, into OUTPUT.jitted.txt.
        if (File.Exists(_map))
        {
            await using var map = new FileStream(_map, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            map.Seek(_mapStart, SeekOrigin.Begin);
            await using var jitted = File.Create(_output + ".jitted.txt");
            await map.CopyToAsync(jitted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
