using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Firewall;
using UdcBackup.Firewall.Nftables;
using UdcBackup.Scripts.Tests.Fixtures;
using UdcBackup.Testing.Processes;
using UdcBackup.Testing.Zones;

namespace UdcBackup.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A small data center on this machine, shared by the end-to-end tests (one collection):
/// network zones joined by an nftables firewall whose designated port 9101 is closed
/// (<see cref="NetworkZones"/>); in the controller zone (198.51.100.2) the controller
/// (<see cref="ControllerInZone"/>) and a media agent on 9101 with its archive repository; in the
/// protected zone (203.0.113.2) three disk agents, enrolled through the controller:
/// <c>app-1</c> (a real process suspended during its backup), <c>db-1</c> (a private PostgreSQL 15
/// in backup mode) and <c>files-1</c> (plain files). Scripts and window writes pass through
/// <see cref="Gates"/>; <see cref="ShapeAsync"/> slows the zone links so a stream lasts long enough
/// to be interrupted. <see cref="DisposeAsync"/> stops every process and deletes the namespaces.
/// </summary>
public sealed class SiteLab : IAsyncLifetime
{
    public const int MediaPort = 9101;
    public const string AppSystem = "app-1";
    public const string DbSystem = "db-1";
    public const string FilesSystem = "files-1";
    public const string AllJob = "all-systems";
    public const string AppJob = "app-only";

    private static readonly TimeSpan AgentStart = TimeSpan.FromSeconds(90);
    private readonly List<ZoneProcess> _agents = [];
    private Process? _app;
    private string _root = string.Empty;

    public NetworkZones Zones { get; private set; } = null!;

    public PrivatePostgreSql Postgres { get; private set; } = null!;

    public ControllerInZone Controller { get; private set; } = null!;

    public Gates Gates { get; private set; } = null!;

    /// <summary>The zone firewall as the tests read it (snapshots of the whole rule set).</summary>
    public NftablesFirewall Firewall { get; private set; } = null!;

    /// <summary>The firewall's rule set before any job ran.</summary>
    public FirewallSnapshot FirewallBefore { get; private set; } = null!;

    public string RepositoryPath => Path.Combine(_root, "repository");

    public string PasswordFile => Path.Combine(_root, "repository.password");

    public string AppPidFile => Path.Combine(_root, "app", "app.pid");

    public string FilesData => Path.Combine(_root, "files", "data");

    /// <summary>The backup-mode scripts' state folder of db-1.</summary>
    public string DbStateFolder => Path.Combine(Postgres.Root, "state");

    /// <summary>Everything the lab's processes said lately, for failure messages.</summary>
    public string Diagnostics => $"controller:{Environment.NewLine}{Controller?.Output}{Environment.NewLine}{string.Join(Environment.NewLine, _agents.Select(a => a.Output.Length > 4000 ? a.Output[^4000..] : a.Output))}{PostgresStartLog()}";

    public async Task InitializeAsync()
    {
        Requirements.Root("network namespaces, nftables, tc and PostgreSQL as the postgres user");
        Requirements.Program("tc", "iproute2");
        _root = Directory.CreateTempSubdirectory("udc-e2e-").FullName;
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        Zones = await NetworkZones.CreateAsync([MediaPort]);
        Firewall = new NftablesFirewall(Zones.FirewallOptions(Zones.Firewall));
        Postgres = await PrivatePostgreSql.StartAsync();
        await Postgres.ExecuteAsync("create table events (id bigint generated always as identity primary key, note text not null); insert into events (note) select 'before ' || g from generate_series(1, 1000) g");
        StartApp();
        WriteFiles();
        Gates = Gates.Create(Path.Combine(_root, "gates"), Path.Combine(_root, "scripts"), Path.Combine(RepositoryRoot.Path, "deploy", "scripts"), Zones.Firewall.Name);

        Controller = new ControllerInZone(Zones.Controller, Path.Combine(_root, "controller"), $"https://{ZoneAddresses.Controller}:5443");
        await Controller.StartAsync();
        await ProcessRun.CheckedAsync(["sh", "-c", $"umask 077; head -c 24 /dev/urandom | base64 > '{PasswordFile}'"]);
        await ProcessRun.CheckedAsync(UdcProgram.Command("archive", "init", "--repo", RepositoryPath, "--password-file", PasswordFile, "--kdf-iterations", "1000"), timeout: TimeSpan.FromMinutes(2));

        await StartMediaAgentAsync();
        await StartDiskAgentAsync(AppSystem, 9102, [Path.Combine(_root, "app", "spool")]);
        await StartDiskAgentAsync(DbSystem, 9103, [Postgres.DataDirectory, Path.Combine(DbStateFolder, "label")]);
        await StartDiskAgentAsync(FilesSystem, 9104, [FilesData]);

        await ApplySiteAsync();
        FirewallBefore = await Firewall.SnapshotAsync();
    }

    /// <summary>Applies the lab's site (a new version); <paramref name="appSpool"/> points app-1's data set elsewhere, null puts it back.</summary>
    public async Task ApplySiteAsync(string? appSpool = null)
    {
        using var applied = await Controller.Http.PostAsJsonAsync(new Uri("/api/site", UriKind.Relative), new { yaml = LabSite.Yaml(this, appSpool), file = "lab.yaml" });
        applied.IsSuccessStatusCode.Should().BeTrue($"the lab site applies: {await applied.Content.ReadAsStringAsync()}");
    }

    public async Task DisposeAsync()
    {
        Gates?.ReleaseAll();
        if (Controller is not null)
        {
            await Controller.DisposeAsync();
        }

        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
        }

        _app?.Dispose();
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        if (Zones is not null)
        {
            await Zones.DisposeAsync();
        }

        // UDC_E2E_KEEP=1 keeps the lab's folder (repository, agents' audit logs, controller data) to look into after a failure.
        if (Environment.GetEnvironmentVariable("UDC_E2E_KEEP") is { Length: > 0 })
        {
            return;
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    // The server log start-programs writes (why a restored data directory did not start).
    private string PostgresStartLog()
    {
        var log = Postgres is null ? null : Path.Combine(Postgres.DataDirectory, "udc-start.log");
        return log is not null && File.Exists(log) ? $"{Environment.NewLine}udc-start.log:{Environment.NewLine}{string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(60))}" : string.Empty;
    }

    /// <summary>Limits both zone links to <paramref name="megabitsPerSecond"/> (0: no limit), so streams take measurable time.</summary>
    public async Task ShapeAsync(int megabitsPerSecond)
    {
        foreach (var zone in new[] { Zones.Protected, Zones.Controller })
        {
            await ProcessRun.RunAsync([.. zone.ExecPrefix, "tc", "qdisc", "del", "dev", "fw0", "root"]);
            if (megabitsPerSecond > 0)
            {
                await zone.ExecAsync("tc", "qdisc", "add", "dev", "fw0", "root", "tbf", "rate", $"{megabitsPerSecond}mbit", "burst", "64kb", "latency", "400ms");
            }
        }
    }

    /// <summary>True when the app process exists and is not stopped (state T).</summary>
    public bool AppRuns()
    {
        var pid = int.Parse(File.ReadAllText(AppPidFile).Trim(), CultureInfo.InvariantCulture);
        var stat = File.Exists($"/proc/{pid}/stat") ? File.ReadAllText($"/proc/{pid}/stat") : string.Empty;
        return stat.Length > 0 && stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0] is not ("T" or "Z" or "X" or "t");
    }

    private void StartApp()
    {
        Directory.CreateDirectory(Path.Combine(_root, "app", "spool"));
        _app = Process.Start(new ProcessStartInfo("bash", ["-c", $"echo $$ > '{AppPidFile}'; while :; do date -u +%FT%T.%NZ >> '{_root}/app/spool/events.log'; sleep 0.1; done"]) { UseShellExecute = false })!;
    }

    private void WriteFiles()
    {
        Directory.CreateDirectory(FilesData);
        var random = new Random(42);
        for (var i = 0; i < 4; i++)
        {
            var bytes = new byte[6 << 20];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(FilesData, $"blob-{i}.bin"), bytes);
        }

        File.WriteAllText(Path.Combine(FilesData, "index.html"), "<p>files-1</p>\n");
    }

    private async Task<(string Token, string CaSha256)> TokenAsync(string system, string role)
    {
        using var response = await Controller.Http.PostAsJsonAsync(new Uri("/api/agents/tokens", UriKind.Relative), new { systemId = system, role });
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"an enrollment token for {system}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("token").GetString()!, json.GetProperty("caSha256").GetString()!);
    }

    private async Task EnrollAsync(NetworkNamespace zone, string system, string role, string folder)
    {
        var (token, ca) = await TokenAsync(system, role);
        await using var enroll = ZoneProcess.Start(zone, UdcProgram.Command("agent", "enroll", "--server", Controller.AgentUrl, "--token", token, "--ca-sha256", ca, "--credentials", folder));
        await enroll.WaitForOutputAsync($"enrolled as {role}:{system}", AgentStart);
    }

    private async Task StartMediaAgentAsync()
    {
        var folder = Path.Combine(_root, "agents", "media-1");
        await EnrollAsync(Zones.Controller, "media-1", "media", folder);
        var config = Path.Combine(_root, "agents", "media-1.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            listenAddress = ZoneAddresses.Controller.ToString(),
            port = MediaPort,
            credentialsFolder = folder,
            repositoryPath = RepositoryPath,
            repositoryName = "main",
            repositoryPasswordFile = PasswordFile,
            auditLogPath = Path.Combine(_root, "agents", "media-1-audit.jsonl"),
        }));
        var agent = ZoneProcess.Start(Zones.Controller, UdcProgram.Command("agent", "media", "--config", config));
        _agents.Add(agent);
        await agent.WaitForOutputAsync("listening on", AgentStart);
    }

    private async Task StartDiskAgentAsync(string system, int port, string[] paths)
    {
        var folder = Path.Combine(_root, "agents", system);
        await EnrollAsync(Zones.Protected, system, "disk", folder);
        var config = Path.Combine(_root, "agents", system + ".json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            listenAddress = ZoneAddresses.Protected.ToString(),
            port,
            credentialsFolder = folder,
            scriptFolder = Path.Combine(_root, "scripts"),
            dataPaths = paths,
            restoreRoots = paths,
            auditLogPath = Path.Combine(_root, "agents", system + "-audit.jsonl"),
        }));
        var agent = ZoneProcess.Start(Zones.Protected, UdcProgram.Command("agent", "disk", "--config", config));
        _agents.Add(agent);
        await agent.WaitForOutputAsync("listening on", AgentStart);
    }
}
