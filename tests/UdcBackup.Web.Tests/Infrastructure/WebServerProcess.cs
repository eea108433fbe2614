using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace UdcBackup.Web.Tests.Infrastructure;

/// <summary>
/// A real <c>udc server</c> child process on a temporary data directory, serving the built web
/// app (<c>UDC_WEBROOT</c> points at <c>web/dist</c>). As in the server tests, it listens on port 0
/// so the kernel picks a free port, the address is read from the server's "listening on" log line,
/// and start-up waits for <c>/healthz</c> with a deadline, never a fixed sleep.
/// </summary>
public sealed partial class WebServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _dataDirectory;
    private Process? _process;

    private WebServerProcess(string dataDirectory) => _dataDirectory = dataDirectory;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1:1");

    public HttpClient Http { get; private set; } = new();

    /// <summary>Everything the server printed, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<WebServerProcess> StartAsync()
    {
        var webRoot = RepoPaths.RequireBuiltWebApp();
        var server = new WebServerProcess(Directory.CreateTempSubdirectory("udc-web-test-").FullName);
        await server.LaunchAsync(webRoot);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        Http.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private async Task LaunchAsync(string webRoot)
    {
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { UdcDll(), "server", "--data", _dataDirectory, "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("UDC_URLS");
        info.Environment["UDC_WEBROOT"] = webRoot;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data, address);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, address);
        process.Exited += (_, _) => address.TrySetException(new InvalidOperationException("udc server exited during start-up"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        try
        {
            BaseAddress = await address.Task.WaitAsync(StartDeadline);
            Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var clock = Stopwatch.StartNew();
            while (!await IsHealthyAsync())
            {
                if (clock.Elapsed > StartDeadline)
                {
                    throw new TimeoutException("no healthy /healthz within the start deadline");
                }

                await Task.Delay(50);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
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

    private static string UdcDll()
    {
        // The project references the CLI, so its build put udc.dll beside the tests.
        var path = Path.Combine(AppContext.BaseDirectory, "udc.dll");
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"udc.dll is not beside the tests in {AppContext.BaseDirectory}; build tests/UdcBackup.Web.Tests");
    }

    [GeneratedRegex(@"udc server listening on (?<url>https?://\S+)")]
    private static partial Regex ListeningLine();
}
