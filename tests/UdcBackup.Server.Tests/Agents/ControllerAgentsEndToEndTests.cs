using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Activities.Catalog;
using UdcBackup.Agents.Audit;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Testing;

namespace UdcBackup.Server.Tests.Agents;

/// <summary>
/// The controller drives real agents end to end on loopback (<see cref="LoopbackSite"/>):
/// <c>udc backup start</c> runs pre-backup, streams each system's data into a backup session,
/// runs post-backup, streams the label folder written by it into the same session and seals one
/// snapshot per system, tagged with the system and recorded in the catalog against it; the
/// repository verifies. A restore to the same system puts the data back byte for byte; a
/// restore of A's snapshot to B without approval is refused and moves nothing; with approval to
/// B's original paths, outside B's restore roots, it is refused before B's programs stop; into a
/// folder inside them (--into) it puts A's files there. A restore over a damaged pack fails after
/// one attempt (the disk agent's error line carries the damaged-data type), saying so.
/// </summary>
[Trait("Category", "Agents")]
public sealed class ControllerAgentsEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(90);
    private LoopbackSite _site = null!;

    public async Task InitializeAsync() => _site = await LoopbackSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task A_backup_job_seals_one_snapshot_per_system_that_restores_byte_exact_and_to_another_system_only_approved_into_its_restore_roots()
    {
        _site.WriteSampleData(LoopbackSite.SystemA);
        _site.WriteSampleData(LoopbackSite.SystemB);
        var original = Digest(_site.DataOf(LoopbackSite.SystemA));

        // Backup through the CLI, as an operator starts it.
        var started = await _site.Server.RunCliAsync("backup", "start", LoopbackSite.Job);
        started.ExitCode.Should().Be(0, started.ToString());
        var run = started.Stdout.Trim();
        var job = await WaitJobAsync(run);
        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        var lines = job.GetProperty("progress").GetProperty("systems").EnumerateArray().ToList();
        lines.Select(l => l.GetProperty("systemId").GetString()).Should().Equal(LoopbackSite.SystemA, LoopbackSite.SystemB);
        lines.Should().OnlyContain(l => l.GetProperty("status").GetString() == "Succeeded" && l.GetProperty("postBackupRan").GetBoolean(), job.ToString());
        lines.Should().OnlyContain(l => l.GetProperty("bytes").GetInt64() > 1 << 20, "each system's data set and label moved");
        File.Exists(_site.MarkerOf(LoopbackSite.SystemA, "pre-backup")).Should().BeTrue("the disk agent ran pre-backup");
        var snapshotA = lines[0].GetProperty("snapshotId").GetString()!;
        var snapshotB = lines[1].GetProperty("snapshotId").GetString()!;
        snapshotA.Should().NotBe(snapshotB);

        // Recorded against the right system, and the media agent tagged it the same way.
        var catalog = new SqliteSnapshotCatalog(Path.Combine(_site.Server.DataDirectory, "catalog.db"));
        (await catalog.FindAsync(snapshotA))!.SystemId.Should().Be(LoopbackSite.SystemA);
        (await catalog.FindAsync(snapshotB))!.SystemId.Should().Be(LoopbackSite.SystemB);
        var snapshots = JsonDocument.Parse((await ArchiveAsync("snapshots", "--json")).Stdout).RootElement.EnumerateArray().ToList();
        snapshots.Should().HaveCount(2, "one sealed snapshot per system, label streamed into the same one");
        var listing = await ArchiveAsync("ls", snapshotA);
        listing.Stdout.Should().Contain("random.bin").And.Contain("backup_label", "the label folder written by post-backup is in the same snapshot");
        (await ArchiveAsync("verify")).ExitCode.Should().Be(0);

        // Restore to the same system: changed and deleted files come back byte for byte.
        File.Delete(Path.Combine(_site.DataOf(LoopbackSite.SystemA), "hello.txt"));
        await File.WriteAllBytesAsync(Path.Combine(_site.DataOf(LoopbackSite.SystemA), "nested", "random.bin"), RandomNumberGenerator.GetBytes(4096));
        var restore = await _site.Server.RunCliAsync("restore", "start", "--system", LoopbackSite.SystemA, "--snapshot", snapshotA, "--operator", "tester");
        restore.ExitCode.Should().Be(0, restore.ToString());
        var restored = await WaitJobAsync(restore.Stdout.Trim());
        restored.GetProperty("status").GetString().Should().Be("Completed", restored.ToString());
        Digest(_site.DataOf(LoopbackSite.SystemA)).Should().Equal(original);

        // What the target already held is in the result and on the page, next to what was written.
        var result = restored.GetProperty("progress");
        result.GetProperty("files").GetInt64().Should().BeGreaterThanOrEqualTo(2, "hello.txt and random.bin were written");
        result.GetProperty("alreadyCorrectFiles").GetInt64().Should().BeGreaterThanOrEqualTo(1, "config.ini was as the snapshot has it");
        result.GetProperty("alreadyCorrectBytes").GetInt64().Should().BeGreaterThan(0);
        var page = await _site.Server.RunCliAsync("jobs", "show", restore.Stdout.Trim(), "--once");
        page.Stdout.Should().MatchRegex($@"{LoopbackSite.SystemA}: \S+ \S+ written, \d+ files; \d+ files \(.+\) already correct");

        // A's snapshot to B without approval: refused before anything starts; B keeps its data.
        var before = Digest(_site.DataOf(LoopbackSite.SystemB));
        var refused = await _site.Server.RunCliAsync("restore", "start", "--system", LoopbackSite.SystemA, "--snapshot", snapshotA, "--to", LoopbackSite.SystemB);
        refused.ExitCode.Should().Be(2, refused.ToString());
        refused.Stderr.Should().Contain("approval");
        Digest(_site.DataOf(LoopbackSite.SystemB)).Should().Equal(before);
        File.ReadAllText(Path.Combine(_site.Root, LoopbackSite.SystemB, "audit.jsonl")).Should().NotContain("job.restore", "no restore reached B's agent");

        // Approved, to B's original paths: B's agent restores only into its own folders, so the
        // controller's check refuses before B's programs stop (its stop-programs is pre-backup).
        File.Delete(_site.MarkerOf(LoopbackSite.SystemB, "pre-backup"));
        var outside = await _site.Server.RunCliAsync("restore", "start", "--system", LoopbackSite.SystemA, "--snapshot", snapshotA, "--to", LoopbackSite.SystemB, "--approve", "--operator", "tester");
        outside.ExitCode.Should().Be(0, outside.ToString());
        var refusedRun = await WaitJobAsync(outside.Stdout.Trim());
        refusedRun.GetProperty("status").GetString().Should().Be("Failed", refusedRun.ToString());
        refusedRun.GetProperty("failure").GetString().Should()
            .Contain("restore refused: restore target '/' is not inside the configured restore roots").And.Contain("--into DIR").And.Contain("nothing was changed");
        File.Exists(_site.MarkerOf(LoopbackSite.SystemB, "pre-backup")).Should().BeFalse("B's programs were never stopped");
        Digest(_site.DataOf(LoopbackSite.SystemB)).Should().Equal(before);

        // Into a folder inside B's data: A's files land below it at their original paths.
        var into = Path.Combine(_site.DataOf(LoopbackSite.SystemB), "from-a");
        var inside = await _site.Server.RunCliAsync("restore", "start", "--system", LoopbackSite.SystemA, "--snapshot", snapshotA, "--to", LoopbackSite.SystemB, "--approve", "--into", into, "--operator", "tester");
        inside.ExitCode.Should().Be(0, inside.ToString());
        var intoRun = await WaitJobAsync(inside.Stdout.Trim());
        intoRun.GetProperty("status").GetString().Should().Be("Completed", intoRun.ToString());
        Digest(Path.Combine(into, _site.DataOf(LoopbackSite.SystemA).TrimStart('/'))).Should().Equal(original);
        File.ReadAllText(Path.Combine(into, _site.LabelOf(LoopbackSite.SystemA).TrimStart('/'), "backup_label")).Should().Contain($"label of {LoopbackSite.SystemA}");
        new AuditLog(Path.Combine(_site.Root, LoopbackSite.SystemB, "audit.jsonl")).ReadAll().Where(e => e.Action.StartsWith("job.restore", StringComparison.Ordinal)).Select(e => (e.Action, e.Decision))
            .Should().Equal(("job.restore-check", AuditDecision.Refused), ("job.restore-check", AuditDecision.Accepted), ("job.restore", AuditDecision.Accepted));
    }

    [Fact]
    public async Task A_restore_over_a_damaged_pack_fails_after_one_attempt_saying_the_data_is_damaged()
    {
        _site.WriteSampleData(LoopbackSite.SystemA);
        _site.WriteSampleData(LoopbackSite.SystemB);
        var started = await _site.Server.RunCliAsync("backup", "start", LoopbackSite.Job);
        started.ExitCode.Should().Be(0, started.ToString());
        var job = await WaitJobAsync(started.Stdout.Trim());
        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        var snapshotA = job.GetProperty("progress").GetProperty("systems")[0].GetProperty("snapshotId").GetString()!;

        // The packs holding the 1 MiB random files; the small tree packs still read.
        var packs = Directory.EnumerateFiles(Path.Combine(_site.RepositoryPath, "data"), "*", SearchOption.AllDirectories).Where(p => new FileInfo(p).Length > 512 * 1024).ToList();
        packs.Should().NotBeEmpty();
        packs.ForEach(PackDamage.Flip);

        var restore = await _site.Server.RunCliAsync("restore", "start", "--system", LoopbackSite.SystemA, "--snapshot", snapshotA, "--operator", "tester");
        restore.ExitCode.Should().Be(0, restore.ToString());
        var failed = await WaitJobAsync(restore.Stdout.Trim());

        failed.GetProperty("status").GetString().Should().Be("Failed", failed.ToString());
        failed.GetProperty("failure").GetString().Should().Contain("the repository holds damaged data").And.Contain("udc archive verify");
        new AuditLog(Path.Combine(_site.Root, LoopbackSite.SystemA, "audit.jsonl")).ReadAll().Where(e => e.Action == "job.restore").Select(e => e.Decision)
            .Should().Equal([AuditDecision.Failed], "one attempt: no retry can pass damaged data");
    }

    private static SortedDictionary<string, string> Digest(string folder) =>
        new(
            Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))),
            StringComparer.Ordinal);

    private async Task<JsonElement> WaitJobAsync(string id)
    {
        JsonElement job = default;
        await Wait.UntilAsync(
            async () => (job = JsonDocument.Parse(await _site.Server.GetRawAsync($"/api/jobs/{Uri.EscapeDataString(id)}")).RootElement).GetProperty("status").GetString() != "Running",
            RunDeadline,
            $"job {id} to finish{Environment.NewLine}{_site.Server.Output}");
        return job;
    }

    private async Task<CliResult> ArchiveAsync(params string[] args)
    {
        var password = (await File.ReadAllTextAsync(_site.RepositoryPasswordFile)).Trim();
        using var process = Process.Start(UdcBinary.StartInfo(["archive", args[0], "--repo", _site.RepositoryPath, .. args[1..]], new Dictionary<string, string> { ["UDC_ARCHIVE_PASSWORD"] = password }))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        var result = new CliResult(process.ExitCode, await stdout, await stderr);
        result.ExitCode.Should().Be(0, result.ToString());
        return result;
    }
}
