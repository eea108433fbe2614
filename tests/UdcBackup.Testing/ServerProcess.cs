using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace UdcBackup.Testing;

/// <summary>
/// A real <c>udc server</c> running as a child process on a temporary (or given) data directory.
/// It listens on port 0, so the kernel picks a free port with no race; the fixture reads the
/// address the server logs, then waits for <c>/healthz</c> to answer (never a blind sleep).
/// On first start the server writes <c>DATA/admin.token</c> and <c>DATA/initial-admin-password</c>;
/// <see cref="Token"/> and <see cref="AdminPassword"/> read them, <see cref="Http"/> carries the
/// token as its bearer, and <see cref="RunCliAsync"/> hands it to the CLI as <c>UDC_TOKEN</c>.
/// <see cref="Kill"/> is <c>kill -9</c> (SIGKILL: no shutdown code runs), and
/// <see cref="RestartAsync"/> starts a new process on the same data directory.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>The file the server writes the bootstrap admin API token to.</summary>
    public const string TokenFileName = "admin.token";

    /// <summary>The file the server writes the first admin password to.</summary>
    public const string PasswordFileName = "initial-admin-password";

    // A start took 27 s to /healthz on a loaded 2-core machine (CI runs the test projects side by
    // side); a deadline is for a server that does not start, not for a slow one.
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(2);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly bool _ownsDataDirectory;
    private Process? _process;
    private string? _token;

    private ServerProcess(string dataDirectory, bool ownsDataDirectory)
    {
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
    }

    /// <summary>The data directory the server runs on; it survives kills and restarts.</summary>
    public string DataDirectory { get; }

    /// <summary>The address of the current process; changes on restart (a new free port).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1:1");

    /// <summary>An HTTP client for the current process, signed in as <c>admin</c> with <see cref="Token"/>.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>The bootstrap API token of the <c>admin</c> user (from <c>DATA/admin.token</c>).</summary>
    public string Token => _token ?? throw new InvalidOperationException($"the server wrote no {TokenFileName} in {DataDirectory}{Environment.NewLine}{Output}");

    /// <summary>The first password of the <c>admin</c> user (from <c>DATA/initial-admin-password</c>).</summary>
    public string AdminPassword => ReadSecret(PasswordFileName) ?? throw new InvalidOperationException($"the server wrote no {PasswordFileName} in {DataDirectory}");

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

    /// <summary>A new HTTP client for this server with the given bearer token (none: anonymous).</summary>
    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>
    /// Runs <c>udc args...</c> as a child process against this server (<c>UDC_SERVER</c>) signed in
    /// with <paramref name="token"/>, or the admin token when none is given (<c>UDC_TOKEN</c>).
    /// </summary>
    public async Task<CliResult> RunCliAsync(IEnumerable<string> args, string? token = null, IDictionary<string, string>? environment = null, string? standardInput = null)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["UDC_SERVER"] = BaseAddress.ToString(),
        };
        if ((token ?? _token) is { } bearer)
        {
            variables["UDC_TOKEN"] = bearer;
        }

        var info = UdcBinary.StartInfo(args, variables);
        info.RedirectStandardInput = true;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs <c>udc args...</c> against this server as <c>admin</c>.</summary>
    public Task<CliResult> RunCliAsync(params string[] args) => RunCliAsync(args, token: null);

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
            Http = CreateClient();
            await Wait.UntilAsync(async () => await IsHealthyAsync(), StartDeadline, "udc server to answer /healthz");

            // The server writes the bootstrap token before it listens, so it is there once healthy.
            _token = ReadSecret(TokenFileName);
            if (_token is not null)
            {
                Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            Kill();
            throw new InvalidOperationException($"udc server did not become healthy: {e.Message}{Environment.NewLine}{Output}", e);
        }
    }

    private string? ReadSecret(string fileName)
    {
        var path = Path.Combine(DataDirectory, fileName);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
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
