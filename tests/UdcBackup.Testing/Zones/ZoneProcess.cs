using System.Diagnostics;
using System.Text;

namespace UdcBackup.Testing.Zones;

/// <summary>
/// A long-running program (e.g. an agent) started inside a namespace as a real process. Output is
/// collected (bounded) for assertions and failure messages; disposing kills the process tree.
/// </summary>
public sealed class ZoneProcess : IAsyncDisposable
{
    private const int MaxCapturedChars = 1 << 20;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private ZoneProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Process id of the started program (the ip netns exec process execs into it).</summary>
    public int Id => _process.Id;

    /// <summary>True once the program has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Standard output and error captured so far, interleaved by arrival.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="arguments"/> inside <paramref name="zone"/> with extra environment variables.</summary>
    public static ZoneProcess Start(NetworkNamespace zone, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in zone.ExecPrefix.Skip(1).Concat(arguments))
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new ZoneProcess(process);
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output after the deadline.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                // The exit can be seen before the last lines arrive: a short command (an enrollment)
                // that printed the text and exited would be taken for a failure. WaitForExitAsync
                // returns once both output streams are read to the end; then look again.
                await _process.WaitForExitAsync();
                if (Output.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            if (_process.HasExited || DateTime.UtcNow > until)
            {
                throw new TimeoutException($"'{text}' did not appear (exited: {_process.HasExited}{(_process.HasExited ? $", code {_process.ExitCode}" : string.Empty)}); output so far:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_output.Length < MaxCapturedChars)
            {
                _output.AppendLine(line);
            }
        }
    }
}
