using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace UdcBackup.Server.Tests.Infrastructure;

/// <summary>
/// A real <c>udc server</c> running as a child process on a temporary (or given) data directory.
/// It listens on port 0, so the kernel picks a free port with no race; the fixture reads the
/// address the server logs, then waits for <c>/healthz</c> to answer (never a blind sleep).
/// <see cref="Kill"/> is <c>kill -9</c> (SIGKILL: no shutdown code runs), and
/// <see cref="RestartAsync"/> starts a new process on the same data directory.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly bool _ownsDataDirectory;
    private Process? _process;

    private ServerProcess(string dataDirectory, bool ownsDataDirectory)
    {
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
    }

    /// <summary>The data directory the server runs on; it survives kills and restarts.</summary>
    public string DataDirectory { get; }

    /// <summary>The address of the current process; changes on restart (a new free port).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1:1");

    /// <summary>An HTTP client for the current process.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>Everything the processes printed so far, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts a server on a new temporary data directory and waits until it is healthy.</summary>
    public static async Task<ServerProcess> StartAsync(string? dataDirectory = null, IDictionary<string, string>? environment = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("udc-server-test-").FullName;
        var server = new ServerProcess(dataDirectory, owns);
        await server.LaunchAsync(environment);
        return server;
    }

    /// <summary>SIGKILL: the process dies at once, mid-write if it was writing.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>Kills the current process (if running) and starts a new one on the same data directory.</summary>
    public async Task RestartAsync(IDictionary<string, string>? environment = null)
    {
        Kill();
        await LaunchAsync(environment);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Http.Dispose();
        if (_ownsDataDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A temp directory left behind is harmless; the test result is what matters.
            }
        }

        await Task.CompletedTask;
    }

    private async Task LaunchAsync(IDictionary<string, string>? environment)
    {
        _process?.Dispose();
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = UdcBinary.StartInfo(["server", "--data", DataDirectory, "--urls", "http://127.0.0.1:0"], environment), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data, address);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, address);
        process.Exited += (_, _) => address.TrySetException(new InvalidOperationException("udc server exited during start-up"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var deadline = new CancellationTokenSource(StartDeadline);
        try
        {
            BaseAddress = await address.Task.WaitAsync(deadline.Token);
            Http.Dispose();
            Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            await Wait.UntilAsync(async () => await IsHealthyAsync(), StartDeadline, "udc server to answer /healthz");
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            Kill();
            throw new InvalidOperationException($"udc server did not become healthy: {e.Message}{Environment.NewLine}{Output}", e);
        }
    }

    private async Task<bool> IsHealthyAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri("/healthz", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private void OnLine(string? line, TaskCompletionSource<Uri> address)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            address.TrySetResult(new Uri(match.Groups["url"].Value));
        }
    }

    [GeneratedRegex(@"udc server listening on (?<url>https?://\S+)")]
    private static partial Regex ListeningLine();
}
