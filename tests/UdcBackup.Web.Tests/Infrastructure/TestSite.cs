using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Media;
using UdcBackup.Testing;
using UdcBackup.Testing.Agents;
using UdcBackup.Testing.Sites;

namespace UdcBackup.Web.Tests.Infrastructure;

/// <summary>
/// The site the web tests apply: the shared <see cref="SampleSite"/> whose first system
/// (<see cref="OwnerSystem"/>) and media agent are real processes on loopback, enrolled through
/// the controller like an operator does (<c>udc agent token create</c> + <c>udc agent enroll</c>):
/// a disk agent with a data folder and one allowed script (<see cref="CheckScript"/>, which writes
/// <see cref="CheckMarker"/> and prints what it saw), and a media agent with an archive repository.
/// The second system stays a documentation address. <see cref="SnapshotId"/> of the owner is
/// recorded in the catalog for the restore wizard. Flows drawn in the browser therefore run
/// scripts and stream backups on a real agent. No firewall is crossed on loopback, so no root.
/// </summary>
public sealed class TestSite : IAsyncDisposable
{
    public const string OwnerSystem = SampleSite.FirstSystem;
    public const string OtherSystem = SampleSite.SecondSystem;
    public const string SnapshotId = "snap-web-0001";
    public const string CheckScript = "check-data";

    private readonly List<AgentProcess> _agents = [];

    private TestSite(string root) => Root = root;

    /// <summary>The temp folder with the agents' credentials, data and repository.</summary>
    public string Root { get; }

    /// <summary>The owner system's data folder (its one data set).</summary>
    public string DataFolder => Path.Combine(Root, OwnerSystem, "data");

    /// <summary>Written by <see cref="CheckScript"/> each time it runs (its arguments, one line per run).</summary>
    public string CheckMarker => Path.Combine(Root, OwnerSystem, "check-data.ran");

    public SampleSite Site { get; private set; } = new();

    /// <summary>Starts and enrolls the agents, applies the site and records the snapshot.</summary>
    public static async Task<TestSite> StartAsync(ServerProcess server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var site = new TestSite(Directory.CreateTempSubdirectory("udc-web-site-").FullName);
        try
        {
            await site.BuildAsync(server);
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
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private async Task BuildAsync(ServerProcess server)
    {
        var media = Directory.CreateDirectory(Path.Combine(Root, "media")).FullName;
        var repository = Path.Combine(media, "repository");
        await AgentProcess.InitRepositoryAsync(repository, Path.Combine(media, "password"));
        await AgentEnrollment.EnrollAsync(server, SampleSite.MediaAgent, "media", Path.Combine(media, "credentials"));
        var mediaAgent = await Track(AgentProcess.StartMediaAsync(
            new MediaAgentOptions
            {
                ListenAddress = "127.0.0.1",
                Port = 0,
                CredentialsFolder = Path.Combine(media, "credentials"),
                RepositoryPath = repository,
                RepositoryPasswordFile = Path.Combine(media, "password"),
                AuditLogPath = Path.Combine(media, "audit.jsonl"),
            },
            Path.Combine(media, "media.json")));

        var system = Directory.CreateDirectory(Path.Combine(Root, OwnerSystem)).FullName;
        var scripts = Directory.CreateDirectory(Path.Combine(system, "scripts")).FullName;
        Directory.CreateDirectory(Path.Combine(DataFolder, "nested"));
        await File.WriteAllTextAsync(Path.Combine(DataFolder, "orders.csv"), "id,total\n1,20\n2,22\n");
        await File.WriteAllTextAsync(Path.Combine(DataFolder, "nested", "notes.txt"), "kept by the web tests\n");
        var check = Path.Combine(scripts, CheckScript);
        await File.WriteAllTextAsync(check, $"#!/bin/sh\nset -eu\necho \"$*\" >> '{CheckMarker}'\necho \"checked $(find '{DataFolder}' -type f | wc -l) files\"\n");
        File.SetUnixFileMode(check, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        await AgentEnrollment.EnrollAsync(server, OwnerSystem, "disk", Path.Combine(system, "credentials"));
        var disk = await Track(AgentProcess.StartDiskAsync(
            new DiskAgentOptions
            {
                ListenAddress = "127.0.0.1",
                Port = 0,
                CredentialsFolder = Path.Combine(system, "credentials"),
                ScriptFolder = scripts,
                DataPaths = [DataFolder],
                AuditLogPath = Path.Combine(system, "audit.jsonl"),
            },
            Path.Combine(system, "disk.json")));

        Site = new SampleSite
        {
            Name = "web-tests",
            Job = "yearly",
            FirewallNamespace = "udc-web-test-fw",
            MediaEndpoint = mediaAgent.Endpoint,
            RepositoryPath = repository,
            FirstEndpoint = disk.Endpoint,
            FirstDataPath = DataFolder,
            FirstScripts = new Dictionary<string, string> { ["preBackup"] = CheckScript, ["postBackup"] = CheckScript },
        };
        await Site.ApplyAsync(server, "web-tests.yaml");
        await Site.AddSnapshotAsync(server, SnapshotId, OwnerSystem, 1_048_576, 42);
    }

    private async Task<AgentProcess> Track(Task<AgentProcess> starting)
    {
        var agent = await starting;
        _agents.Add(agent);
        return agent;
    }
}
