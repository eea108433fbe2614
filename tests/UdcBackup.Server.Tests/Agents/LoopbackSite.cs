using System.Security.Cryptography;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Media;
using UdcBackup.Firewall.Nftables;
using UdcBackup.Testing;
using UdcBackup.Testing.Agents;
using UdcBackup.Testing.Processes;

namespace UdcBackup.Server.Tests.Agents;

/// <summary>
/// A whole site on this machine's loopback, every part a real process: <c>udc server</c> with an
/// agent HTTPS listener, one media agent (archive repository in a temp folder) and two disk
/// agents (systems <see cref="SystemA"/> and <see cref="SystemB"/>), all enrolled through the
/// controller with <c>udc agent token create</c> + <c>udc agent enroll</c>. The site's firewall is
/// nftables in a network namespace of its own with the project's table installed: windows are
/// really written and removed there (loopback traffic does not cross it; the namespace zones
/// tests show blocking). Each system has a data folder, a pre-backup script that leaves a marker
/// and a post-backup script that writes a label file into a folder streamed after it
/// (<c>afterPostBackup</c>), as the PostgreSQL scripts do.
/// </summary>
public sealed class LoopbackSite : IAsyncDisposable
{
    public const string SystemA = "sys-a";
    public const string SystemB = "sys-b";
    public const string MediaAgentId = "media-1";
    public const string Job = "loopback-job";

    private readonly List<AgentProcess> _agents = [];
    private readonly Func<string, IDisposable>? _repositoryFileSystem;
    private IDisposable? _repositoryMount;
    private string? _namespace;

    private LoopbackSite(string root, Func<string, IDisposable>? repositoryFileSystem)
    {
        Root = root;
        _repositoryFileSystem = repositoryFileSystem;
    }

    /// <summary>The temp folder holding everything (agents' configs, data, repository).</summary>
    public string Root { get; }

    public ServerProcess Server { get; private set; } = null!;

    public AgentProcess Media { get; private set; } = null!;

    public AgentProcess DiskA { get; private set; } = null!;

    public AgentProcess DiskB { get; private set; } = null!;

    /// <summary>The media agent's archive repository and its password.</summary>
    public string RepositoryPath => Path.Combine(Root, "media", "repository");

    public string RepositoryPasswordFile => Path.Combine(Root, "media", "password");

    /// <summary>A system's data folder (its one data set before post-backup).</summary>
    public string DataOf(string system) => Path.Combine(Root, system, "data");

    /// <summary>A system's label folder (written by post-backup, streamed after it).</summary>
    public string LabelOf(string system) => Path.Combine(Root, system, "label");

    /// <summary>Marker files written by the scripts: pre-backup ran, post-backup ran.</summary>
    public string MarkerOf(string system, string script) => Path.Combine(Root, system, $"{script}.ran");

    /// <summary>
    /// Starts the site; <paramref name="repositoryFileSystem"/> mounts a file system of its own at the
    /// repository's folder before the repository is made there (a small tmpfs that fills up), and
    /// what it returns is unmounted once the agents have stopped.
    /// </summary>
    public static async Task<LoopbackSite> StartAsync(Func<string, IDisposable>? repositoryFileSystem = null)
    {
        Requirements.Root("the loopback site installs its firewall table in a network namespace");
        var site = new LoopbackSite(Directory.CreateTempSubdirectory("udc-loopback-").FullName, repositoryFileSystem);
        try
        {
            await site.BuildAsync();
            return site;
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes a few files (one of 1 MiB random bytes) into a system's data folder.</summary>
    public void WriteSampleData(string system)
    {
        var data = DataOf(system);
        Directory.CreateDirectory(Path.Combine(data, "nested", "deeper"));
        File.WriteAllText(Path.Combine(data, "hello.txt"), $"hello from {system}\n");
        File.WriteAllBytes(Path.Combine(data, "nested", "random.bin"), RandomNumberGenerator.GetBytes(1 << 20));
        File.WriteAllText(Path.Combine(data, "nested", "deeper", "config.ini"), $"[{system}]\nkey=value\n");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (_namespace is not null)
        {
            await ProcessRun.RunAsync(["ip", "netns", "del", _namespace]);
        }

        _repositoryMount?.Dispose();

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static void WriteScript(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\nset -eu\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
    }

    private async Task BuildAsync()
    {
        Server = await ServerProcess.StartAsync(environment: AgentEnrollment.ControllerEnvironment);

        var mediaFolder = Directory.CreateDirectory(Path.Combine(Root, "media")).FullName;
        _repositoryMount = _repositoryFileSystem?.Invoke(RepositoryPath);
        await AgentProcess.InitRepositoryAsync(RepositoryPath, RepositoryPasswordFile);
        await AgentEnrollment.EnrollAsync(Server, MediaAgentId, "media", Path.Combine(mediaFolder, "credentials"));
        Media = Track(await AgentProcess.StartMediaAsync(
            new MediaAgentOptions
            {
                ListenAddress = "127.0.0.1",
                Port = 0,
                CredentialsFolder = Path.Combine(mediaFolder, "credentials"),
                RepositoryPath = RepositoryPath,
                RepositoryPasswordFile = RepositoryPasswordFile,
                AuditLogPath = Path.Combine(mediaFolder, "audit.jsonl"),
            },
            Path.Combine(mediaFolder, "media.json")));

        DiskA = Track(await StartDiskAgentAsync(SystemA));
        DiskB = Track(await StartDiskAgentAsync(SystemB));

        _namespace = $"udcctl{Environment.ProcessId % 100000}{RandomNumberGenerator.GetInt32(1000)}";
        await ProcessRun.CheckedAsync(["ip", "netns", "add", _namespace]);
        await new NftablesFirewall(new NftablesOptions
        {
            Name = "loopback-fw",
            CommandPrefix = ["ip", "netns", "exec", _namespace],
            Table = "udc",
            Chain = "forward",
            DesignatedPorts = [Media.Address.Port],
        }).InstallAsync();

        var apply = Path.Combine(Root, "site.yaml");
        await File.WriteAllTextAsync(apply, SiteYaml());
        var applied = await Server.RunCliAsync("site", "apply", apply);
        if (applied.ExitCode != 0)
        {
            throw new InvalidOperationException($"udc site apply failed: {applied}");
        }
    }

    private AgentProcess Track(AgentProcess agent)
    {
        _agents.Add(agent);
        return agent;
    }

    private async Task<AgentProcess> StartDiskAgentAsync(string system)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Root, system)).FullName;
        var scripts = Directory.CreateDirectory(Path.Combine(folder, "scripts")).FullName;
        Directory.CreateDirectory(DataOf(system));
        Directory.CreateDirectory(LabelOf(system));
        WriteScript(Path.Combine(scripts, "pre-backup"), $"rm -f '{LabelOf(system)}'/*\ndate +%s > '{MarkerOf(system, "pre-backup")}'\n");
        WriteScript(Path.Combine(scripts, "post-backup"), $"echo \"label of $UDC_LABEL_NAME\" > '{LabelOf(system)}/backup_label'\ndate +%s > '{MarkerOf(system, "post-backup")}'\n");
        await AgentEnrollment.EnrollAsync(Server, system, "disk", Path.Combine(folder, "credentials"));
        return await AgentProcess.StartDiskAsync(
            new DiskAgentOptions
            {
                ListenAddress = "127.0.0.1",
                Port = 0,
                CredentialsFolder = Path.Combine(folder, "credentials"),
                ScriptFolder = scripts,
                DataPaths = [DataOf(system), LabelOf(system)],

                // A system's own folders, as in the demo: its own restores put files back at their
                // original paths (target "/"), confined to the data sets the controller names;
                // another system's snapshot goes into a folder inside them (--into).
                RestoreRoots = [DataOf(system), LabelOf(system)],
                AuditLogPath = Path.Combine(folder, "audit.jsonl"),
            },
            Path.Combine(folder, "disk.json"));
    }

    private string SiteYaml() => $$"""
        site: loopback
        zones:
          - name: uc
            trust: controller
          - name: oc
            trust: protected
        firewalls:
          - name: loopback-fw
            kind: nftables
            designatedPort: {{Media.Address.Port}}
            between: [uc, oc]
            nftables: { namespace: {{_namespace}}, family: inet, table: udc, chain: forward }
        mediaAgents:
          - id: {{MediaAgentId}}
            zone: uc
            endpoint: {{Media.Endpoint}}
            address: 127.0.0.1
            repositories:
              - { name: main, path: {{RepositoryPath}} }
        systems:
        {{SystemYaml(SystemA, DiskA)}}
        {{SystemYaml(SystemB, DiskB)}}
        jobs:
          - id: {{Job}}
            systems: [{{SystemA}}, {{SystemB}}]
            mediaAgent: {{MediaAgentId}}
            repository: main
            schedule: { cron: "0 2 1 1 *", timeZone: UTC, window: 30m }
            levels: { fullEvery: 1 }
            retention: { keepLast: 5 }
            continueOnSystemFailure: true
        """;

    private string SystemYaml(string system, AgentProcess agent) => $$"""
          - id: {{system}}
            zone: oc
            agentEndpoint: {{agent.Endpoint}}
            address: 127.0.0.1
            applicationKind: application-suspend
            dataSets:
              - { name: data, paths: [{{DataOf(system)}}] }
              - { name: label, paths: [{{LabelOf(system)}}], afterPostBackup: true }
            scripts:
              preBackup: pre-backup
              postBackup: { name: post-backup, env: { UDC_LABEL_NAME: {{system}} } }
        """;
}
