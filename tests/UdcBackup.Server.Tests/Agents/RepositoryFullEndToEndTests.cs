using System.Text.Json;
using UdcBackup.Agents.Audit;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Testing;

namespace UdcBackup.Server.Tests.Agents;

/// <summary>
/// A backup job into a media agent whose repository lies on a file system too small for the data
/// (<see cref="LoopbackSite"/> with the repository on a 512 KiB tmpfs): each system's stream fails
/// once, not retried, with a failure that names the full repository and says to free space and run
/// the backup again; post-backup still runs and the job's firewall window is closed.
/// </summary>
[Trait("Category", "Agents")]
public sealed class RepositoryFullEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(90);
    private LoopbackSite _site = null!;

    public async Task InitializeAsync() => _site = await LoopbackSite.StartAsync(repository => new Tmpfs(repository, "size=512k"));

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task A_backup_into_a_full_repository_fails_each_system_once_naming_the_repository_and_still_cleans_up()
    {
        _site.WriteSampleData(LoopbackSite.SystemA);
        _site.WriteSampleData(LoopbackSite.SystemB);

        var started = await _site.Server.RunCliAsync("backup", "start", LoopbackSite.Job);
        started.ExitCode.Should().Be(0, started.ToString());
        var job = await WaitJobAsync(started.Stdout.Trim());

        var progress = job.GetProperty("progress");
        var systems = progress.GetProperty("systems").EnumerateArray().ToList();
        systems.Should().HaveCount(2, job.ToString());
        foreach (var system in systems)
        {
            var id = system.GetProperty("systemId").GetString()!;
            system.GetProperty("status").GetString().Should().Be("Failed", job.ToString());
            system.GetProperty("postBackupRan").GetBoolean().Should().BeTrue("post-backup runs after a failed stream");
            File.Exists(_site.MarkerOf(id, "post-backup")).Should().BeTrue();
            system.GetProperty("error").GetString().Should()
                .Contain($"repository 'main' of media agent {LoopbackSite.MediaAgentId} at {_site.Media.Endpoint} has no space left")
                .And.Contain("free space there").And.Contain($"No space left in the repository {_site.RepositoryPath}");
            new AuditLog(Path.Combine(_site.Root, id, "audit.jsonl")).ReadAll().Count(e => e.Action == "job.backup" && e.Decision == AuditDecision.Failed)
                .Should().Be(1, $"one attempt of {id}'s stream: no retry frees space");
        }

        progress.GetProperty("windowsClosed").GetInt32().Should().Be(1, "the job's window (both systems share the loopback address) was closed after the failures");
    }

    private async Task<JsonElement> WaitJobAsync(string id)
    {
        JsonElement job = default;
        await Wait.UntilAsync(
            async () => (job = JsonDocument.Parse(await _site.Server.GetRawAsync($"/api/jobs/{Uri.EscapeDataString(id)}")).RootElement).GetProperty("status").GetString() != "Running",
            RunDeadline,
            $"job {id} to finish{Environment.NewLine}{_site.Server.Output}");
        return job;
    }
}
