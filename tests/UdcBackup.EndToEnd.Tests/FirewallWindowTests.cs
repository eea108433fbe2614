using UdcBackup.EndToEnd.Tests.Infrastructure;

namespace UdcBackup.EndToEnd.Tests;

/// <summary>
/// Through the namespace firewall: the designated port is closed before a job, open only while
/// it runs (checked from the protected zone while the run waits at a gate), closed after, with
/// the rule set byte-identical, for a backup and for a restore. The backup is followed with
/// <c>udc jobs show --follow</c> (not a terminal: one plain line per change, then the page),
/// which must end when the run ends and show the system's snapshot.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class FirewallWindowTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(2);
    private readonly SiteLab _lab;

    public FirewallWindowTests(SiteLab lab)
    {
        _lab = lab;
    }

    [Fact]
    public async Task The_port_opens_only_while_a_backup_and_a_restore_run()
    {
        await _lab.AssertAtRestAsync("before the backup");

        _lab.Gates.Hold("app-suspend-pre-backup");
        var backup = await _lab.Controller.StartBackupAsync(SiteLab.AppJob);
        await _lab.Gates.WaitReachedAsync("app-suspend-pre-backup", Step, () => _lab.Diagnostics);
        (await _lab.PortOpenAsync()).Should().BeTrue("the backup's window is open while it runs");
        var follow = _lab.Controller.RunCliAsync("jobs", "show", backup, "--follow");
        _lab.Gates.Release("app-suspend-pre-backup");

        var shown = await follow;
        shown.ExitCode.Should().Be(0, shown.ToString());
        shown.Stdout.Should().MatchRegex($@"\d\d:\d\d:\d\d {SiteLab.AppSystem}\s+Succeeded", "a line when the system is done")
            .And.Contain($"{backup} (backup.job): Completed", "the final page")
            .And.Contain("[####################] 100%");
        var done = await _lab.Controller.WaitClosedAsync(backup, Step, () => _lab.Diagnostics);
        var snapshot = JobProbe.SystemLine(done, SiteLab.AppSystem)!.Value.GetProperty("snapshotId").GetString()!;
        shown.Stdout.Should().Contain(snapshot[..12]);
        await _lab.AssertAtRestAsync("after the backup");

        // The restore of app-1 suspends and resumes the app with its pre/post-backup scripts.
        _lab.Gates.Hold("app-suspend-pre-backup.after");
        var restore = await _lab.Controller.StartRestoreAsync(SiteLab.AppSystem, snapshot);
        await _lab.Gates.WaitReachedAsync("app-suspend-pre-backup.after", Step, () => _lab.Diagnostics);
        (await _lab.PortOpenAsync()).Should().BeTrue("the restore's window is open while it runs");
        _lab.AppRuns().Should().BeFalse("the app is suspended for its restore");
        _lab.Gates.Release("app-suspend-pre-backup.after");

        var restored = await _lab.Controller.WaitClosedAsync(restore, Step, () => _lab.Diagnostics);
        restored.GetProperty("status").GetString().Should().Be("Completed", restored.ToString());
        await _lab.AssertAtRestAsync("after the restore");
    }
}
