using System.Diagnostics;
using System.Net;
using System.Text.Json;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Repository;
using UdcBackup.Testing;

namespace UdcBackup.Agents.Tests.Hosting;

/// <summary>
/// Real <c>udc agent disk|media</c> processes stop on SIGTERM (systemd's stop, the demo's Ctrl-C)
/// well within the time a supervisor waits before SIGKILL, also while a transfer
/// is still streaming into the media agent.
/// </summary>
public sealed class AgentShutdownTests : IDisposable
{
    // The agent gives requests in flight AgentWebHost.StopGrace (1 s) and then aborts them; a
    // supervisor waits far longer before SIGKILL (systemd: 90 s). The deadline is that bound with
    // room for a loaded CI machine (test projects run side by side), and an agent that waited for
    // the endless upload below would still miss it by minutes.
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(20);
    private readonly TempFolder _temp = new();
    private readonly CertificateAuthority _ca;

    public AgentShutdownTests()
    {
        _ca = CertificateAuthority.CreateOrOpen(_temp.Combine("ca"));
    }

    public void Dispose()
    {
        _ca.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_disk_agent_exits_soon_after_SIGTERM()
    {
        Enroll("sys-a", AgentRole.Disk, "disk");
        Directory.CreateDirectory(_temp.Combine("scripts"));
        using var agent = await StartAsync("disk", new DiskAgentOptions
        {
            ListenAddress = "127.0.0.1", Port = 0, CredentialsFolder = _temp.Combine("disk"), ScriptFolder = _temp.Combine("scripts"), AuditLogPath = _temp.Combine("disk-audit.jsonl"),
        });

        await TerminateAndExpectCleanExitAsync(agent);
    }

    [Fact]
    public async Task A_media_agent_exits_soon_after_SIGTERM_while_a_backup_is_streaming_in()
    {
        Enroll("media-1", AgentRole.Media, "media");
        using var disk = Enroll("sys-a", AgentRole.Disk, "disk");
        File.WriteAllText(_temp.Combine("repo-password"), "pw\n");
        ArchiveRepository.Init(_temp.Combine("repo"), "pw", kdfIterations: 1000).Dispose();
        using var agent = await StartAsync("media", new MediaAgentOptions
        {
            ListenAddress = "127.0.0.1", Port = 0, CredentialsFolder = _temp.Combine("media"),
            RepositoryPath = _temp.Combine("repo"), RepositoryPasswordFile = _temp.Combine("repo-password"), AuditLogPath = _temp.Combine("media-audit.jsonl"),
        });

        // A backup upload whose body never ends: the agent is in the middle of a request at SIGTERM.
        using var stopUpload = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var http = new HttpClient(MutualTls.CreateClientHandler(disk.Certificate, _ca.Certificate, "media-1", AgentRole.Media));
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(agent.Address, "/v1/backup"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new EndlessContent(stopUpload.Token),
        };
        request.Headers.Add(AgentHeaders.JobToken, _ca.TokenSigner.Issue("job-1", "sys-a", "media-1", JobDirection.Backup, TimeSpan.FromHours(1)));
        var upload = http.SendAsync(request);
        await WaitForAsync(() => File.Exists(_temp.Combine("media-audit.jsonl")) && File.ReadAllText(_temp.Combine("media-audit.jsonl")).Contains("sys-a", StringComparison.Ordinal), "the media agent accepted the upload");

        await TerminateAndExpectCleanExitAsync(agent);
        var outcome = async () => (await upload).EnsureSuccessStatusCode();
        await outcome.Should().ThrowAsync<Exception>("the cut upload commits nothing");
        await stopUpload.CancelAsync();
    }

    private static async Task TerminateAndExpectCleanExitAsync(RunningAgent agent)
    {
        var stopwatch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", agent.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(StopDeadline);
        var wait = async () => await agent.Process.WaitForExitAsync(deadline.Token);
        await wait.Should().NotThrowAsync($"the agent must stop within {StopDeadline} of SIGTERM; output:{Environment.NewLine}{agent.Output}");

        stopwatch.Elapsed.Should().BeLessThan(StopDeadline);
        agent.Process.ExitCode.Should().Be(0, $"a stop on SIGTERM is a clean stop, success for systemd; output:{Environment.NewLine}{agent.Output}");
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            deadline.IsCancellationRequested.Should().BeFalse($"timed out waiting until {what}");
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private async Task<RunningAgent> StartAsync(string role, object options)
    {
        var config = _temp.Combine(role + ".json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(options, options.GetType(), JsonSerializerOptions.Web));
        var agent = new RunningAgent(Process.Start(UdcBinary.StartInfo(["agent", role, "--config", config]))!);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        agent.Address = await agent.Listening.Task.WaitAsync(deadline.Token);
        return agent;
    }

    private AgentCredentials Enroll(string system, AgentRole role, string folder)
    {
        var token = _ca.EnrollmentTokens.Issue(new SystemIdentity(system, role), TimeSpan.FromMinutes(5));
        var (key, csr) = AgentCredentials.CreateSigningRequest();
        using (key)
        {
            return AgentCredentials.Save(_temp.Combine(folder), key, _ca.Enroll(new EnrollmentRequest(token, csr)));
        }
    }

    /// <summary>A started agent process whose output is collected; killed on dispose if still running.</summary>
    private sealed class RunningAgent : IDisposable
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public RunningAgent(Process process)
        {
            Process = process;
            Process.OutputDataReceived += (_, e) => OnLine(e.Data);
            Process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            Process.EnableRaisingEvents = true;
            Process.Exited += (_, _) => Listening.TrySetException(new InvalidOperationException("the agent exited during start-up: " + Output));
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public TaskCompletionSource<Uri> Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Uri Address { get; set; } = null!;

        public string Output => string.Join(Environment.NewLine, _lines);

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }

        private void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            _lines.Enqueue(line);
            var at = line.IndexOf(" listening on ", StringComparison.Ordinal);
            if (at >= 0)
            {
                Listening.TrySetResult(new Uri(line[(at + " listening on ".Length)..].Trim()));
            }
        }
    }

    /// <summary>A request body that sends a little data, then waits (a transfer in progress).</summary>
    private sealed class EndlessContent(CancellationToken stop) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(stop, cancellationToken);
            await stream.WriteAsync(new byte[4096], both.Token);
            await stream.FlushAsync(both.Token);
            await Task.Delay(Timeout.Infinite, both.Token);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
