using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using UdcBackup.Activities.Catalog;
using UdcBackup.Testing;
using UdcBackup.Testing.Agents;

namespace UdcBackup.Web.Tests.Infrastructure;

/// <summary>
/// The demo site around the tests' controller, brought up by the demo's own start-up
/// (<c>deploy/demo/demo.sh</c>, what <c>./run.sh</c> runs) pointed at that controller
/// (<c>UDC_DEMO_CONTROLLER</c>): the three sample systems of <c>deploy/demo/site.yaml</c> (static
/// files, an application suspended during its backup, a real PostgreSQL 15), a media agent with
/// its repository and one disk agent per system, each enrolled through the controller, and the
/// shipped site applied with this run's paths. The network is the demo's loopback mode (every
/// agent on 127.0.0.1, windows opened in a private nftables table), so the tests need neither the
/// demo's fixed namespaces nor its addresses, but they do need its fixed loopback ports: a demo
/// already running on this machine makes start-up fail with that reason.
/// The fixture then pauses the demo's 5-minute backup schedule, so the only runs are the tests'
/// own, and records one snapshot of <see cref="FilesSystem"/> in the catalog for the restore
/// wizard. Disposing sends SIGTERM to the demo, whose clean-up stops agents, systems and firewall.
/// </summary>
public sealed class DemoSite : IAsyncDisposable
{
    public const string FilesSystem = "web-files";
    public const string AppSystem = "app-files";
    public const string DatabaseSystem = "pg-demo";
    public const string MediaAgent = "media-1";
    public const string Repository = "local";
    public const string Job = "demo-every-5-minutes";
    public const string SnapshotId = "snap-web-0001";

    /// <summary>The scripts site.yaml names for <see cref="AppSystem"/>, as the demo installs them in its agents' script folder.</summary>
    public const string SuspendScript = "app-suspend-pre-backup";
    public const string ResumeScript = "app-suspend-post-backup";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(4);
    private static readonly int[] LoopbackPorts = [9101, 9111, 9112, 9113];
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _demo;

    private DemoSite(string root) => Root = root;

    /// <summary>The demo's root folder (UDC_DEMO_ROOT): systems, repository, agents' run folder.</summary>
    public string Root { get; }

    /// <summary>The pid file of the sample application that <see cref="SuspendScript"/> suspends.</summary>
    public string AppPidFile => Path.Combine(Root, "app-files", "app.pid");

    /// <summary>What the demo printed so far, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<DemoSite> StartAsync(ServerProcess server)
    {
        ArgumentNullException.ThrowIfNull(server);
        foreach (var port in LoopbackPorts)
        {
            EnsureFree(port);
        }

        var site = new DemoSite(Directory.CreateTempSubdirectory("udc-web-demo-").FullName);
        try
        {
            await site.LaunchAsync(server);
            await site.PauseScheduleAsync(server);
            var catalog = new SqliteSnapshotCatalog(Path.Combine(server.DataDirectory, "catalog.db"));
            await catalog.AddAsync(new CatalogEntry(SnapshotId, FilesSystem, Job, "full", MediaAgent, Repository, DateTimeOffset.UtcNow.AddHours(-1), 1_048_576, 42));
            return site;
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_demo is { HasExited: false } demo)
        {
            // SIGTERM runs the demo's clean-up trap; SIGKILL (Process.Kill) would leave everything running.
            using (var term = Process.Start("kill", ["-TERM", demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await demo.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                demo.Kill(entireProcessTree: true);
            }
        }

        _demo?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // PostgreSQL's files belong to the postgres user; a temp folder left behind is harmless.
        }
    }

    private static void EnsureFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"127.0.0.1:{port} is taken: the demo's loopback mode needs ports {string.Join(", ", LoopbackPorts)} (is ./run.sh running on this machine?)", e);
        }
    }

    private async Task LaunchAsync(ServerProcess server)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepoPaths.Root, "deploy", "demo", "demo.sh"));
        info.Environment["UDC_DEMO_CONTROLLER"] = server.BaseAddress.ToString();
        info.Environment["UDC_DEMO_AGENT_URL"] = AgentEnrollment.AgentAddress(server).ToString();
        info.Environment["UDC_TOKEN"] = server.Token;
        info.Environment["UDC_DEMO_ROOT"] = Root;
        info.Environment["UDC_DEMO_MODE"] = "loopback";
        info.Environment["UDC_DEMO_UDC"] = UdcBinary.DllPath;
        info.Environment.Remove("UDC_DATA");
        info.Environment.Remove("UDC_SERVER");

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var demo = new Process { StartInfo = info, EnableRaisingEvents = true };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            _output.Enqueue(e.Data);
            if (e.Data.Contains("UdcBackup demo is running", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        demo.OutputDataReceived += onLine;
        demo.ErrorDataReceived += onLine;
        demo.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("deploy/demo/demo.sh exited during start-up"));
        demo.Start();
        demo.BeginOutputReadLine();
        demo.BeginErrorReadLine();
        _demo = demo;
        try
        {
            await ready.Task.WaitAsync(StartDeadline);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"the demo site did not come up: {e.Message}{Environment.NewLine}{Output}", e);
        }
    }

    private async Task PauseScheduleAsync(ServerProcess server)
    {
        using var paused = await server.Http.PostAsJsonAsync(new Uri($"/api/schedules/job-{Job}/pause", UriKind.Relative), new { note = "paused by the web tests: their runs only" });
        if (!paused.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"pausing job-{Job} failed ({(int)paused.StatusCode}): {await paused.Content.ReadAsStringAsync()}{Environment.NewLine}{Output}");
        }
    }
}
