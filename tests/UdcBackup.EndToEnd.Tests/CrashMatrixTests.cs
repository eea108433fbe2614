using System.Globalization;
using System.Text.Json;
using UdcBackup.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace UdcBackup.EndToEnd.Tests;

/// <summary>
/// <c>kill -9</c> of the controller at twenty points, ten of a backup and ten of a restore, each
/// followed by a restart on the same data directory. Every point is reached deterministically: a
/// gate the run waits at (a script or a window write held by a file, before it or once it has
/// run), a system's line in the run's progress, or a stream's recorded progress while the zone
/// links are slowed down (in the restore twice: the second kill cuts the attempt that resumed the
/// stream after the first). One run collects the backup points in order and one the restore
/// points, each continuing after its restarts; the scripts keep their 3 attempts, since a kill
/// does not use one up. Afterwards: both runs completed with every system
/// succeeded, the port is closed and the rule set identical to before, PostgreSQL is out of
/// backup mode and holds exactly the restored rows, a file written into its data directory after
/// the backup is gone (the data set restores with replace), the application runs, every snapshot
/// verifies.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class CrashMatrixTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(2);
    private readonly SiteLab _lab;
    private readonly ITestOutputHelper _output;
    private readonly List<string> _points = [];

    public CrashMatrixTests(SiteLab lab, ITestOutputHelper output)
    {
        _lab = lab;
        _output = output;
    }

    [Fact]
    public async Task Kill_9_at_ten_points_of_a_backup_and_ten_of_a_restore_leaves_everything_as_it_should_be()
    {
        await _lab.AssertAtRestAsync("before the runs");
        var killsBefore = _lab.Controller.Kills;

        // Backup of app-1, db-1, files-1 (in that order) with ten crashes.
        string[] backupGates = ["nft-insert", "app-suspend-pre-backup.after", "app-suspend-post-backup", "postgresql-pre-backup", "postgresql-pre-backup.after", "postgresql-post-backup", "nft-delete"];
        foreach (var gate in backupGates)
        {
            _lab.Gates.Hold(gate);
        }

        var backup = await _lab.Controller.StartBackupAsync(SiteLab.AllJob);
        await CrashAtGateAsync(backup, "nft-insert", "while the window opens");
        await CrashAtGateAsync(backup, "app-suspend-pre-backup.after", "in app-1's pre-backup, the app suspended", during: () => _lab.AppRuns().Should().BeFalse("pre-backup suspended the app"));
        await CrashAtGateAsync(backup, "app-suspend-post-backup", "before app-1's post-backup resumes the app");

        // Between systems: app-1 is done, db-1's pre-backup is held before it starts.
        await _lab.Controller.WaitForAsync(backup, j => JobProbe.SystemLine(j, SiteLab.AppSystem)?.GetProperty("status").GetString() == "Succeeded", Step, "app-1 to succeed", () => _lab.Diagnostics);
        await CrashAsync("between app-1 and db-1");
        await CrashAtGateAsync(backup, "postgresql-pre-backup", "as db-1's pre-backup starts");
        await CrashAtGateAsync(backup, "postgresql-pre-backup.after", "in db-1's pre-backup, backup mode on", during: async () => (await _lab.BackupModeSessionsAsync()).Should().BeGreaterThan(0));

        await CrashMidStreamAsync(backup, SiteLab.DbSystem, "while db-1's data directory streams");
        await CrashAtGateAsync(backup, "postgresql-post-backup", "before db-1's post-backup ends backup mode");
        await CrashMidStreamAsync(backup, SiteLab.FilesSystem, "while files-1 streams");
        await CrashAtGateAsync(backup, "nft-delete", "while the window closes");

        var done = await _lab.Controller.WaitClosedAsync(backup, Step, () => _lab.Diagnostics);
        done.GetProperty("status").GetString().Should().Be("Completed", $"{done}{Environment.NewLine}{_lab.Diagnostics}");
        var lines = done.GetProperty("progress").GetProperty("systems").EnumerateArray().ToList();
        lines.Select(l => l.GetProperty("status").GetString()).Should().AllBe("Succeeded", done.ToString());
        lines.Should().OnlyContain(l => l.GetProperty("snapshotId").GetString()!.Length > 0);
        await _lab.AssertAtRestAsync("after the crashed backup");
        var dbSnapshot = lines.Single(l => l.GetProperty("systemId").GetString() == SiteLab.DbSystem).GetProperty("snapshotId").GetString()!;

        // Rows written after the backup must be gone after the restore.
        await _lab.Postgres.ExecuteAsync("insert into events (note) select 'after ' || g from generate_series(1, 50) g");
        var stray = Path.Combine(_lab.Postgres.DataDirectory, "udc-written-after-the-backup");
        await File.WriteAllTextAsync(stray, "not in the snapshot");

        // Restore of db-1's snapshot with ten crashes.
        string[] restoreGates = ["nft-insert", "nft-insert.after", "postgresql-stop-programs", "postgresql-stop-programs.after", "postgresql-start-programs", "postgresql-start-programs.after", "nft-delete", "nft-delete.after"];
        foreach (var gate in restoreGates)
        {
            _lab.Gates.Hold(gate);
        }

        var restore = await _lab.Controller.StartRestoreAsync(SiteLab.DbSystem, dbSnapshot);
        await CrashAtGateAsync(restore, "nft-insert", "while the restore's window opens");
        await CrashAtGateAsync(restore, "nft-insert.after", "with the restore's rule in place, before the open is recorded", during: async () => (await _lab.PortOpenAsync()).Should().BeTrue("the rule is in place"));
        await CrashAtGateAsync(restore, "postgresql-stop-programs", "as stop-programs starts");
        // The stream starts as soon as this gate opens: the links are slowed first, so the stream is
        // slow from its first byte (slowed only after the controller's restart, a stream of the few
        // changed files ran at full speed and was over before its first progress report was seen).
        await CrashAtGateAsync(restore, "postgresql-stop-programs.after", "after stop-programs stopped PostgreSQL", during: () => _lab.ShapeAsync(megabitsPerSecond: 8));
        await CrashTwiceMidStreamAsync(restore, "while the snapshot streams back", "while the resumed restore streams");
        await CrashAtGateAsync(restore, "postgresql-start-programs", "before start-programs starts PostgreSQL");
        await CrashAtGateAsync(restore, "postgresql-start-programs.after", "after start-programs started PostgreSQL", during: async () => (await _lab.Postgres.ScalarAsync<long>("select count(*) from events")).Should().Be(1000, "PostgreSQL runs on the restored data"));
        await CrashAtGateAsync(restore, "nft-delete", "while the restore's window closes");
        await CrashAtGateAsync(restore, "nft-delete.after", "with the restore's rule deleted, before the close is recorded", during: async () => (await _lab.PortOpenAsync()).Should().BeFalse("the rule is gone"));

        var restored = await _lab.Controller.WaitClosedAsync(restore, Step, () => _lab.Diagnostics);
        restored.GetProperty("status").GetString().Should().Be("Completed", $"{restored}{Environment.NewLine}{_lab.Diagnostics}");
        await _lab.AssertAtRestAsync("after the crashed restore");
        (await _lab.Postgres.ScalarAsync<long>("select count(*) from events where note like 'before %'")).Should().Be(1000);
        (await _lab.Postgres.ScalarAsync<long>("select count(*) from events where note like 'after %'")).Should().Be(0, "the restore put the database back to the snapshot");
        (await _lab.Postgres.ScalarAsync<bool>("select pg_is_in_recovery()")).Should().BeFalse();
        File.Exists(stray).Should().BeFalse("db-1's data directory restores with replace: what the snapshot does not hold is removed");

        await _lab.AssertSnapshotsVerifyAsync();
        _points.Should().HaveCount(20, string.Join(Environment.NewLine, _points));
        (_lab.Controller.Kills - killsBefore).Should().Be(20);
        _output.WriteLine(string.Join(Environment.NewLine, _points));
    }

    private async Task CrashAtGateAsync(string run, string gate, string point, Func<Task>? during = null)
    {
        await _lab.Gates.WaitReachedAsync(gate, Step, () => _lab.Diagnostics);
        if (during is not null)
        {
            await during();
        }

        await CrashAsync(point);
        _lab.Gates.Release(gate);
        // After the last point the run may already have completed: a close whose rule is gone has nothing left to write.
        (await _lab.Controller.JobAsync(run)).GetProperty("status").GetString().Should().BeOneOf(["Running", "Completed"], $"the run goes on after the crash {point}");
    }

    private Task CrashAtGateAsync(string run, string gate, string point, Action during) =>
        CrashAtGateAsync(run, gate, point, () =>
        {
            during();
            return Task.CompletedTask;
        });

    // Slows the links so the stream outlasts the gateway's first progress report (10 s), kills once it is recorded.
    private async Task CrashMidStreamAsync(string run, string? system, string point)
    {
        await _lab.ShapeAsync(megabitsPerSecond: 8);
        try
        {
            await _lab.Controller.WaitForAsync(
                run,
                j => NoSystemFailed(j) && JobProbe.StreamingBytes(j) > 0 && (system is null || (JobProbe.SystemLine(j, system) is { } line && line.TryGetProperty("step", out var step) && step.GetString() == "stream")),
                Step,
                $"stream progress {point}",
                () => _lab.Diagnostics);
            await CrashAsync(point);
        }
        finally
        {
            await _lab.ShapeAsync(0);
        }
    }

    // Two kills in one stream with the links slowed down: the first once the stream reported
    // progress, the second once the attempt that resumed it reported progress of its own (more
    // than a second after it started: the first reports of an attempt repeat the resumed totals).
    private async Task CrashTwiceMidStreamAsync(string run, string first, string second)
    {
        await _lab.ShapeAsync(megabitsPerSecond: 8);
        try
        {
            await _lab.Controller.WaitForAsync(run, j => JobProbe.StreamingBytes(j) > 0, Step, $"stream progress {first}", () => _lab.Diagnostics);
            var cut = await _lab.Controller.StreamActivityAsync(run) is { } stream ? stream.GetProperty("attempt").GetInt32() : throw new InvalidOperationException($"no stream pending {first}");
            await CrashAsync(first);
            await Wait.UntilAsync(async () => await _lab.Controller.StreamActivityAsync(run) is { } resumed && ResumedWithOwnProgress(resumed, cut), Step, $"the resumed stream's own progress {second}{Environment.NewLine}{_lab.Diagnostics}");
            await CrashAsync(second);
        }
        finally
        {
            await _lab.ShapeAsync(0);
        }
    }

    private static bool ResumedWithOwnProgress(JsonElement stream, int cutAttempt) =>
        stream.GetProperty("attempt").GetInt32() > cutAttempt
        && stream.TryGetProperty("heartbeatDetails", out var details) && details.ValueKind == JsonValueKind.Object
        && details.TryGetProperty("bytes", out var bytes) && bytes.GetInt64() > 0
        && stream.TryGetProperty("lastStartedTime", out var started) && started.ValueKind == JsonValueKind.String
        && stream.TryGetProperty("lastHeartbeatTime", out var beat) && beat.ValueKind == JsonValueKind.String
        && beat.GetDateTime() - started.GetDateTime() >= TimeSpan.FromSeconds(1.5);

    // A failed system will never reach the point waited for: say so now, with its error.
    private bool NoSystemFailed(JsonElement job)
    {
        var failed = job.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonValueKind.Object && progress.TryGetProperty("systems", out var systems)
            ? systems.EnumerateArray().FirstOrDefault(s => s.GetProperty("status").GetString() == "Failed")
            : default;
        return failed.ValueKind != JsonValueKind.Object
            ? true
            : throw new InvalidOperationException($"{failed.GetProperty("systemId").GetString()} failed after the kills {string.Join("; ", _points)}: {failed}");
    }

    private async Task CrashAsync(string point)
    {
        _lab.Controller.Kill();
        _points.Add(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} killed {point}"));
        await _lab.Controller.StartAsync();
    }
}
