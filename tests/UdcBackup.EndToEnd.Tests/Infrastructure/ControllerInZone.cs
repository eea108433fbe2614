using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using UdcBackup.Testing.Processes;
using UdcBackup.Testing.Zones;

namespace UdcBackup.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real <c>udc server</c> running inside the controller zone's network namespace, as the cell
/// manager would: it reaches the disk agents through the zone firewall and serves enrollment on
/// <see cref="AgentUrl"/>. Its HTTP API listens on 127.0.0.1 inside the namespace (port 0: read
/// from its log); the test reaches it with sockets created in that namespace, and CLI runs go
/// through <c>ip netns exec</c>. <see cref="Kill"/> is SIGKILL of the server and the commands it
/// was running (nft, as a host crash would end them too); <see cref="RestartAsync"/> starts a new
/// process on the same data directory.
/// </summary>
public sealed partial class ControllerInZone : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);
    private readonly NetworkNamespace _zone;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public ControllerInZone(NetworkNamespace zone, string dataDirectory, string agentUrl)
    {
        _zone = zone;
        DataDirectory = dataDirectory;
        AgentUrl = agentUrl;
    }

    public string DataDirectory { get; }

    /// <summary>The HTTPS address agents enroll at (inside the controller zone).</summary>
    public string AgentUrl { get; }

    /// <summary>The API address inside the namespace.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1:1");

    /// <summary>A client signed in as admin, connecting from inside the controller zone.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>The admin's API token (written by the server at its first start), null when it wrote none.</summary>
    public string? Token => File.Exists(Path.Combine(DataDirectory, "admin.token")) ? File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim() : null;

    /// <summary>How many times the server was killed.</summary>
    public int Kills { get; private set; }

    /// <summary>The servers' output so far, for failure messages (last lines).</summary>
    public string Output => string.Join(Environment.NewLine, _output.TakeLast(200));

    public async Task StartAsync()
    {
        _process?.Dispose();
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", _zone.Name, "dotnet", UdcProgram.DllPath, "server", "--data", DataDirectory, "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["UDC_AGENTURLS"] = AgentUrl;
        info.Environment.Remove("UDC_SERVER");
        info.Environment.Remove("UDC_URLS");
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
            Http.Dispose();
            Http = CreateClient(null);
            await Wait.UntilAsync(IsHealthyAsync, StartDeadline, "udc server to answer /healthz");

            // A controller that signs operators in has written the admin's token before it listens.
            if (Token is { } token)
            {
                Http.Dispose();
                Http = CreateClient(token);
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Kill();
            throw new InvalidOperationException($"udc server did not start in {_zone.Name}: {e.Message}{Environment.NewLine}{Output}", e);
        }
    }

    /// <summary>SIGKILL of the server (and the nft or other commands it had running).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Kills++;
        }
    }

    public async Task RestartAsync()
    {
        Kill();
        await StartAsync();
    }

    /// <summary>A client with the given bearer token whose connections start inside the controller zone.</summary>
    public HttpClient CreateClient(string? token)
    {
        var handler = new SocketsHttpHandler { ConnectCallback = (context, cancellationToken) => _zone.ConnectStreamAsync(context.DnsEndPoint, cancellationToken) };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Runs <c>udc args...</c> inside the controller zone against this server as admin.</summary>
    public async Task<CliResult> RunCliAsync(params string[] args)
    {
        var (code, stdout, stderr) = await ProcessRun.RunAsync(
            ["ip", "netns", "exec", _zone.Name, "env", $"UDC_SERVER={BaseAddress}", $"UDC_TOKEN={Token ?? string.Empty}", "dotnet", UdcProgram.DllPath, .. args],
            timeout: TimeSpan.FromMinutes(3));
        return new CliResult(code, stdout, stderr);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Http.Dispose();
        await Task.CompletedTask;
    }

    private async Task<bool> IsHealthyAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri("/healthz", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
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
        while (_output.Count > 2000)
        {
            _output.TryDequeue(out _);
        }

        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            address.TrySetResult(new Uri(match.Groups["url"].Value));
        }
    }

    [GeneratedRegex(@"udc server listening on (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
