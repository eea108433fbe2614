using System.Text.Json;
using UdcBackup.EndToEnd.Tests.Infrastructure;

namespace UdcBackup.EndToEnd.Tests;

/// <summary>
/// An application without backup mode (app-1, a real process suspended by its pre-backup script)
/// whose stream fails, through the real agents: once refused by its disk agent (the data set
/// names a folder outside the paths the agent serves), once matching no file. Each time the
/// process is stopped before the stream and still stopped when the post-backup script starts,
/// runs again after it, the system is reported failed with the reason, the port is closed, and
/// the repository holds no new snapshot (the empty one is removed, not left sealed).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class FailingStreamTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(2);
    private readonly SiteLab _lab;

    public FailingStreamTests(SiteLab lab)
    {
        _lab = lab;
    }

    [Fact]
    public async Task A_suspended_application_runs_again_after_a_refused_stream_and_after_a_stream_that_matched_no_file()
    {
        await _lab.AssertAtRestAsync("before the runs");
        var appFolder = Path.GetDirectoryName(_lab.AppPidFile)!;
        var outside = Path.Combine(appFolder, "outside");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(outside, "not-served.txt"), "outside the disk agent's data paths");
        var snapshotsBefore = SnapshotFiles();
        try
        {
            await _lab.ApplySiteAsync(appSpool: outside);
            var refused = await RunFailingAsync("a refused stream");
            refused.ToString().Should().Contain("is not inside the configured data paths");

            // An existing folder with nothing in it (a missing one is an agent error, retried).
            var empty = Path.Combine(appFolder, "spool", "empty");
            Directory.CreateDirectory(empty);
            await _lab.ApplySiteAsync(appSpool: empty);
            var nothing = await RunFailingAsync("a stream that matched no file");
            nothing.ToString().Should().Contain("matched no file").And.Contain("was removed");
        }
        finally
        {
            _lab.Gates.ReleaseAll();
            await _lab.ApplySiteAsync();
        }

        SnapshotFiles().Should().BeEquivalentTo(snapshotsBefore, "a failed stream leaves no snapshot in the repository");
        await _lab.AssertAtRestAsync("after the failed runs");
    }

    // Runs the app-only job with app-1's gates held: suspended before the stream, still suspended
    // when post-backup starts after the failed stream, running once post-backup ran. Returns app-1's line.
    private async Task<JsonElement> RunFailingAsync(string what)
    {
        _lab.Gates.Hold("app-suspend-pre-backup.after");
        _lab.Gates.Hold("app-suspend-post-backup");
        var run = await _lab.Controller.StartBackupAsync(SiteLab.AppJob);
        await _lab.Gates.WaitReachedAsync("app-suspend-pre-backup.after", Step, () => _lab.Diagnostics);
        _lab.AppRuns().Should().BeFalse($"pre-backup suspended the app before {what}");
        _lab.Gates.Release("app-suspend-pre-backup.after");

        await _lab.Gates.WaitReachedAsync("app-suspend-post-backup", Step, () => _lab.Diagnostics);
        _lab.AppRuns().Should().BeFalse($"the app stays suspended until post-backup, after {what}");
        _lab.Gates.Release("app-suspend-post-backup");

        var done = await _lab.Controller.WaitClosedAsync(run, Step, () => _lab.Diagnostics);
        _lab.AppRuns().Should().BeTrue($"post-backup resumed the app after {what}");
        var line = JsonProbeLine(done);
        line.GetProperty("status").GetString().Should().Be("Failed", $"{what}: {done}");
        return line;
    }

    private static JsonElement JsonProbeLine(JsonElement job) =>
        JobProbe.SystemLine(job, SiteLab.AppSystem) ?? throw new InvalidOperationException($"no line of {SiteLab.AppSystem}: {job}");

    private string[] SnapshotFiles() => Directory.GetFiles(Path.Combine(_lab.RepositoryPath, "snapshots"));
}
