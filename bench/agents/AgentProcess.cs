using System.Diagnostics;

namespace UdcBackup.Agents.Bench;

/// <summary>
/// A <c>udc agent disk|media</c> process started for the benchmark: waits for its "listening on"
/// line to learn the address, reads its CPU time from <c>/proc/PID/stat</c>, and stops it with SIGTERM.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _drain;

    private AgentProcess(Process process, Uri address, Task drain)
    {
        _process = process;
        Address = address;
        _drain = drain;
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    public static async Task<AgentProcess> StartAsync(IReadOnlyList<string> command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            var at = line.IndexOf("listening on ", StringComparison.Ordinal);
            if (at >= 0)
            {
                // Keep reading its output: a full pipe would block the agent's logging and stall it.
                return new AgentProcess(process, new Uri(line[(at + "listening on ".Length)..].Trim()), Task.WhenAll(process.StandardOutput.ReadToEndAsync(CancellationToken.None), errors));
            }
        }

        throw new InvalidOperationException($"{string.Join(' ', command)} ended without listening: {await errors}");
    }

    /// <summary>User + system CPU seconds the process used so far.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in clock ticks (USER_HZ = 100)
    }

    /// <summary>
    /// Waits until all <paramref name="processes"/> together use under 2 % of one core over
    /// <paramref name="window"/> (background tier-1 compilation and GC done), at most until
    /// <paramref name="deadline"/>; returns how long it waited.
    /// </summary>
    public static async Task<TimeSpan> WaitIdleAsync(IReadOnlyList<AgentProcess> processes, TimeSpan window, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        var before = processes.Sum(p => p.CpuSeconds());
        while (clock.Elapsed < deadline)
        {
            await Task.Delay(window);
            var now = processes.Sum(p => p.CpuSeconds());
            if (now - before < 0.02 * window.TotalSeconds)
            {
                break;
            }

            before = now;
        }

        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExitAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

#pragma warning disable VSTHRD003 // the output readers were started by this object's own StartAsync
        await _drain;
#pragma warning restore VSTHRD003
        _process.Dispose();
    }
}
