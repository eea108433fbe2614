using System.Text.Json;
using UdcBackup.Agents.Audit;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Testing;

namespace UdcBackup.Server.Tests.Agents;

/// <summary>
/// A restore job into a folder of the system's restore roots that lies on a file system too small
/// for the snapshot (<see cref="LoopbackSite"/>, a 512 KiB tmpfs under the label folder, restored
/// --into it): the restore fails after one attempt in the disk agent's audit log, not retried, with
/// a failure that names the target and its system and says to free space there and run the restore
/// again. Was retried as a transport failure, each attempt filling the target again.
/// </summary>
[Trait("Category", "Agents")]
public sealed class RestoreTargetFullEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(90);
    private LoopbackSite _site = null!;
    private Tmpfs? _tmpfs;

    public async Task InitializeAsync() => _site = await LoopbackSite.StartAsync();

    public async Task DisposeAsync()
    {
        // Unmounted while the agents run (none holds a file there once the restore failed), so the site's folder goes with them.
        _tmpfs?.Dispose();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task A_restore_into_a_full_target_fails_once_naming_the_target_and_its_system()
    {
        _site.WriteSampleData(LoopbackSite.SystemA);
        _site.WriteSampleData(LoopbackSite.SystemB);
        var started = await _site.Server.RunCliAsync("backup", "start", LoopbackSite.Job);
        started.ExitCode.Should().Be(0, started.ToString());
        var job = await WaitJobAsync(started.Stdout.Trim());
        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        var snapshotA = job.GetProperty("progress").GetProperty("systems")[0].GetProperty("snapshotId").GetString()!;

        // Too small for the 1 MiB random file of the sample data.
        _tmpfs = new Tmpfs(Path.Combine(_site.LabelOf(LoopbackSite.SystemA), "small"), "size=512k");
        var into = Path.Combine(_tmpfs.Path, "into");

        var restore = await _site.Server.RunCliAsync("restore", "start", "--system", LoopbackSite.SystemA, "--snapshot", snapshotA, "--into", into, "--operator", "tester");
        restore.ExitCode.Should().Be(0, restore.ToString());
        var failed = await WaitJobAsync(restore.Stdout.Trim());

        failed.GetProperty("status").GetString().Should().Be("Failed", failed.ToString());
        failed.GetProperty("failure").GetString().Should()
            .Contain($"the restore target {into} on system {LoopbackSite.SystemA} is full").And.Contain("free space there and run the restore again")
            .And.Contain($"No space left in the restore target {into}");
        new AuditLog(Path.Combine(_site.Root, LoopbackSite.SystemA, "audit.jsonl")).ReadAll().Where(e => e.Action == "job.restore").Select(e => e.Decision)
            .Should().Equal([AuditDecision.Failed], "one attempt: no retry frees space on the target");
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
