using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Media;

namespace UdcBackup.Testing.Agents;

/// <summary>
/// A real <c>udc agent disk|media --config FILE</c> process. The configuration is written as JSON
/// from the Agents library's option types (so a test sets exactly what an operator would); port 0
/// lets the kernel pick a free port, which is then written back into the file so a restart after
/// <see cref="Kill"/> listens on the same endpoint (the site names it). Start waits for the line
/// "... listening on https://..." the agent prints once it accepts connections, never a sleep.
/// The agent must be enrolled first (<see cref="AgentEnrollment.EnrollAsync"/>).
/// </summary>
public sealed partial class AgentProcess : IAsyncDisposable
{
    // As the server's (ServerProcess): a deadline for an agent that does not start, not for a
    // process start slowed by a loaded machine.
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(2);
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private AgentProcess(string role, string configPath)
    {
        Role = role;
        ConfigPath = configPath;
    }

    /// <summary><c>disk</c> or <c>media</c>.</summary>
    public string Role { get; }

    /// <summary>The configuration file the process runs with.</summary>
    public string ConfigPath { get; }

    /// <summary>Where the agent listens, e.g. https://127.0.0.1:40123.</summary>
    public Uri Address { get; private set; } = new("https://127.0.0.1:1");

    /// <summary>The agent's endpoint as the site writes it: <c>host:port</c>.</summary>
    public string Endpoint => $"{Address.Host}:{Address.Port}";

    /// <summary>The identity the agent printed at start (<c>disk:web-1</c>).</summary>
    public string Identity { get; private set; } = string.Empty;

    /// <summary>Everything the process printed so far, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Writes <paramref name="options"/> to <paramref name="configPath"/> and starts a disk agent with it.</summary>
    public static Task<AgentProcess> StartDiskAsync(DiskAgentOptions options, string configPath) => StartAsync("disk", options, configPath);

    /// <summary>Writes <paramref name="options"/> to <paramref name="configPath"/> and starts a media agent with it.</summary>
    public static Task<AgentProcess> StartMediaAsync(MediaAgentOptions options, string configPath) => StartAsync("media", options, configPath);

    /// <summary>Creates an archive repository for a media agent with <c>udc archive init</c>; writes the password file.</summary>
    public static async Task InitRepositoryAsync(string repositoryPath, string passwordFile, string password = "test-repository-password")
    {
        await File.WriteAllTextAsync(passwordFile, password + "\n");
        using var process = Process.Start(UdcBinary.StartInfo(["archive", "init", "--repo", repositoryPath, "--kdf-iterations", "1000"], new Dictionary<string, string> { ["UDC_ARCHIVE_PASSWORD"] = password }))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"udc archive init failed (exit {process.ExitCode}): {await stdout}{await stderr}");
        }
    }

    /// <summary>SIGKILL of the agent.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>Kills the agent (if running) and starts it again with the same configuration and port.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        await Task.CompletedTask;
    }

    private static async Task<AgentProcess> StartAsync(string role, object options, string configPath)
    {
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(options, options.GetType(), JsonSerializerOptions.Web));
        var agent = new AgentProcess(role, configPath);
        await agent.LaunchAsync();

        // Keep the picked port for restarts: the site and the controller know the agent by it.
        var config = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await File.ReadAllTextAsync(configPath), JsonSerializerOptions.Web)!;
        if (config.TryGetValue("port", out var port) && port.GetInt32() == 0)
        {
            var updated = config.ToDictionary(kv => kv.Key, kv => (object)kv.Value);
            updated["port"] = agent.Address.Port;
            await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(updated, JsonSerializerOptions.Web));
        }

        return agent;
    }

    private async Task LaunchAsync()
    {
        _process?.Dispose();
        var started = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = UdcBinary.StartInfo(["agent", Role, "--config", ConfigPath]), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data, started);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, started);
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException($"udc agent {Role} exited during start-up"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            var match = await started.Task.WaitAsync(StartDeadline);
            Identity = match.Groups["identity"].Value;
            Address = new Uri(match.Groups["url"].Value);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Kill();
            throw new InvalidOperationException($"udc agent {Role} --config {ConfigPath} did not start: {e.Message}{Environment.NewLine}{Output}", e);
        }
    }

    private void OnLine(string? line, TaskCompletionSource<Match> started)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            started.TrySetResult(match);
        }
    }

    [GeneratedRegex(@"agent (?<identity>\S+) listening on (?<url>https://\S+)")]
    private static partial Regex ListeningLine();
}
