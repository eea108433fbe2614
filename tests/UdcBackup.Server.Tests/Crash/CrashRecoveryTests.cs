using System.Text.Json;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Crash;

/// <summary>
/// The controller is killed with SIGKILL in the middle of a workflow and restarted on the same
/// data directory. The run must finish as if nothing happened: every step completed exactly once
/// in the history (activities may run again, their results are recorded once) and the cleanup of
/// the durable finally block done. The kill moment is taken from the evidence file the activities
/// write, never from a sleep.
/// </summary>
public sealed class CrashRecoveryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the activity a kill must land in works (wall-clock, whatever the load): the time
    /// from the point the test observes to the kill is a poll, an HTTP request the controller
    /// answers from its store, and the kill, each slowed by a loaded machine. With 3 s steps only
    /// 1.5 s were left for that (the cleanup: 1.5 s), and a kill late by that much lands after the
    /// activity completed: the test then fails with the product working. 8 s leaves 6.5 s (the
    /// cleanup, 8 s).
    /// </summary>
    private const int StepMillis = 8_000;

    [Fact]
    public async Task A_run_killed_during_a_step_completes_after_restart_with_every_step_recorded_once()
    {
        await using var server = await ServerProcess.StartAsync();
        var run = await server.StartWorkflowAsync("diag.steps", new { steps = 3, stepMillis = StepMillis, cleanupMillis = 100 }, "crash-in-step");
        var evidence = new EvidenceFile(server.DataDirectory, run.WorkflowId);

        // Kill once step 2 has reported 1.5 s of progress: its first heartbeat is persisted at
        // once and the next after about 1 s, so the restarted attempt has progress to resume from.
        // The step works on for StepMillis - 1.5 s of wall-clock time after that report, while the
        // test polls, asks the controller for the run and kills; see StepMillis.
        await evidence.WaitForAsync("step 2 started attempt 1", Deadline);
        await Wait.UntilAsync(async () => StepProgress(await server.DescribeAsync(run.WorkflowId), step: 2) >= 1500, Deadline, "step 2 to report 1.5 s of progress");
        server.Kill();
        evidence.Contains("step 2 completed").Should().BeFalse("the kill must land inside step 2 for this test to mean anything");

        await server.RestartAsync();
        var details = await server.WaitClosedAsync(run.WorkflowId, Deadline);

        details.Status.Should().Be("Completed", server.Output);
        details.Result!.Value.GetProperty("stepsCompleted").GetInt32().Should().Be(3);
        AssertEachActivityCompletedOnce(details, steps: 3);
        evidence.Count("step 2 started").Should().BeGreaterThanOrEqualTo(2, "the interrupted step runs again after the restart");
        evidence.Lines().Should().Contain(l => l.StartsWith("step 2 started attempt", StringComparison.Ordinal) && l.Contains("resuming at", StringComparison.Ordinal),
            "the retried attempt resumes from the heartbeat progress persisted before the crash");
        evidence.Count("step 1 started").Should().Be(1, "a completed step is not run again");
        evidence.Count("cleanup completed").Should().BeGreaterThanOrEqualTo(1);
        details.PendingActivities.Should().BeEmpty();
    }

    [Fact]
    public async Task A_run_killed_during_its_finally_cleanup_finishes_the_cleanup_after_restart()
    {
        await using var server = await ServerProcess.StartAsync();
        var run = await server.StartWorkflowAsync("diag.steps", new { steps = 2, stepMillis = 1500, cleanupMillis = StepMillis }, "crash-in-finally");
        var evidence = new EvidenceFile(server.DataDirectory, run.WorkflowId);

        // The cleanup works for StepMillis of wall-clock time after its line, while the test polls
        // the file and kills; see StepMillis.
        await evidence.WaitForAsync("cleanup started attempt 1", Deadline);
        server.Kill();
        evidence.Contains("cleanup completed").Should().BeFalse("the kill must land inside the cleanup for this test to mean anything");

        await server.RestartAsync();
        var details = await server.WaitClosedAsync(run.WorkflowId, Deadline);

        details.Status.Should().Be("Completed", server.Output);
        AssertEachActivityCompletedOnce(details, steps: 2);
        evidence.Count("cleanup completed").Should().BeGreaterThanOrEqualTo(1, "the cleanup is done after the restart");
        evidence.Count("step 1 started").Should().Be(1, "completed steps are not run again after a crash");
        evidence.Count("step 2 started").Should().Be(1, "completed steps are not run again after a crash");
    }

    [Fact]
    public async Task A_failing_run_still_runs_its_cleanup()
    {
        await using var server = await ServerProcess.StartAsync();
        var run = await server.StartWorkflowAsync("diag.steps", new { steps = 3, stepMillis = 10, failAt = 2 }, "fails-at-2");

        var details = await server.WaitClosedAsync(run.WorkflowId, Deadline);

        details.Status.Should().Be("Failed");
        details.Failure!.Describe().Should().Contain("failure requested at step 2");
        var evidence = new EvidenceFile(server.DataDirectory, run.WorkflowId);
        evidence.Lines().Should().Equal(
            "step 1 started attempt 1",
            "step 1 completed attempt 1",
            "step 2 started attempt 1",
            "step 2 failed attempt 1",
            "cleanup started attempt 1 after 1 steps",
            "cleanup completed attempt 1");
        details.History.Count(e => e.EventType == "ActivityTaskScheduled" && e.ActivityType == "diag.step").Should().Be(2, "no step runs after the failed one");
    }

    private static int StepProgress(WorkflowDetails details, int step)
    {
        var command = details.History.FirstOrDefault(e => e.EventType == "ActivityTaskScheduled" && e.ActivityType == "diag.step" && e.Input!.Value.GetProperty("step").GetInt32() == step)?.CommandId;
        var pending = details.PendingActivities.FirstOrDefault(a => a.ActivityId == command);
        return pending?.HeartbeatDetails is { } progress ? progress.GetProperty("doneMillis").GetInt32() : 0;
    }

    private static void AssertEachActivityCompletedOnce(WorkflowDetails details, int steps)
    {
        var scheduled = details.History.Where(e => e.EventType == "ActivityTaskScheduled").ToList();
        var stepCommands = scheduled.Where(e => e.ActivityType == "diag.step")
            .ToDictionary(e => e.Input!.Value.GetProperty("step").GetInt32(), e => e.CommandId!.Value);
        stepCommands.Keys.Should().BeEquivalentTo(Enumerable.Range(1, steps), "each step is scheduled exactly once");
        scheduled.Where(e => e.ActivityType == "diag.cleanup").Should().ContainSingle("the cleanup is scheduled exactly once");

        foreach (var e in scheduled)
        {
            details.History.Count(h => h.CommandId == e.CommandId && h.EventType == "ActivityTaskCompleted")
                .Should().Be(1, $"{e.ActivityType} {JsonSerializer.Serialize(e.Input)} completes exactly once in the history");
        }
    }
}
