using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Replay;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>
/// <c>Workflow.Patched</c>: a workflow changed under a patch check keeps the runs recorded by the
/// old code running (they replay the old branch), new runs take the new branch with a marker in
/// their history, and once the check is retired those markers replay as nothing.
/// </summary>
public sealed class PatchTests
{
    private const int Wait = 120_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(Wait);
    private readonly TestActivities activities = new();

    [Fact]
    public async Task A_run_recorded_by_the_old_code_past_the_patch_point_finishes_on_the_patched_code_without_the_new_step()
    {
        var directory = NewDirectory();
        try
        {
            await RunV1PastThePatchPointAsync(directory, "old");

            await using var v2 = await TestHost.StartAsync(o => o.AddWorkflow<PatchV2Workflow>().AddActivities(activities), directory: directory);
            var result = await v2.Client.GetResultAsync<int>("old").WaitAsync(Deadline);

            result.Should().Be(3);
            (await v2.HistoryAsync("old")).Should().NotContain(e => e.EventType == HistoryEventType.MarkerRecorded);
            activities.Journal.Should().NotContain("cleanup:old", "the run passed the patch point before the patch existed");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Without_the_patch_check_the_same_change_fails_a_run_recorded_by_the_old_code_past_that_point()
    {
        var directory = NewDirectory();
        try
        {
            await RunV1PastThePatchPointAsync(directory, "old");

            await using var changed = await TestHost.StartAsync(o => o.AddWorkflow<PatchRetiredWorkflow>().AddActivities(activities), directory: directory);
            var act = () => changed.Client.GetResultAsync<int>("old").WaitAsync(Deadline);

            (await act.Should().ThrowAsync<WorkflowFailedException>()).Which.InnerException.Should().BeOfType<NonDeterminismException>()
                .Which.Message.Should().Contain("activity 'test.add'").And.Contain("activity 'test.cleanup'");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_new_run_takes_the_patched_branch_records_one_marker_and_replays_on_the_patched_and_the_retired_code()
    {
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<PatchV2Workflow>().AddActivities(activities));
        await host.Client.StartWorkflowAsync("test.patch", "new", new WorkflowStartOptions { Id = "new" });
        await host.Client.SignalAsync("new", "go");

        (await host.Client.GetResultAsync<int>("new").WaitAsync(Deadline)).Should().Be(3);
        activities.Journal.Should().Contain("cleanup:new");
        var events = await host.HistoryAsync("new");
        events.Where(e => e.EventType == HistoryEventType.MarkerRecorded).Should().ContainSingle("the second check of the same patch reuses the first answer")
            .Which.MarkerName.Should().Be(PatchV2Workflow.Patch);
        var marker = events.First(e => e.EventType == HistoryEventType.MarkerRecorded);
        marker.CommandId.Should().BeNull("a marker takes no command id, so the ids after it are those of runs recorded without it");
        events.Should().Contain(e => e.EventType == HistoryEventType.ActivityTaskScheduled && e.CommandId == 2 && e.ActivityType == "test.cleanup" && e.EventId > marker.EventId);

        var history = new WorkflowHistory("new", events);
        (await WorkflowReplayer.ReplayAsync<PatchV2Workflow>(history)).ClosedAs.Should().Be(WorkflowExecutionStatus.Completed);
        (await WorkflowReplayer.ReplayAsync<PatchRetiredWorkflow>(history)).ClosedAs.Should().Be(WorkflowExecutionStatus.Completed, "a marker nobody asks for any more is ignored");
        var old = () => WorkflowReplayer.ReplayAsync<PatchV1Workflow>(history);
        await old.Should().ThrowAsync<NonDeterminismException>("the code before the patch does not schedule the new step");
    }

    [Fact]
    public async Task A_run_of_the_patched_code_recovered_after_the_new_step_keeps_it_and_does_not_run_it_again()
    {
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<PatchV2Workflow>().AddActivities(activities));
        await host.Client.StartWorkflowAsync("test.patch", "kept", new WorkflowStartOptions { Id = "kept" });
        await Eventually.TrueAsync(async () => (await host.HistoryAsync("kept")).Count(e => e.EventType == HistoryEventType.ActivityTaskCompleted) == 2, "the patched step's completion", Wait);

        await host.RestartAsync();
        await host.Client.SignalAsync("kept", "go");

        (await host.Client.GetResultAsync<int>("kept").WaitAsync(Deadline)).Should().Be(3);
        activities.Journal.Where(j => j == "cleanup:kept").Should().ContainSingle("the replay took the patched branch again, from the recorded marker, and its step had completed");
    }

    /// <summary>v1 runs its first step, gets "go" and is stopped while its second step runs: the recorded history has passed the point where v2 checks its patch.</summary>
    private async Task RunV1PastThePatchPointAsync(string directory, string id)
    {
        activities.Close($"add:{id}:2");
        await using (var v1 = await TestHost.StartAsync(o => o.AddWorkflow<PatchV1Workflow>().AddActivities(activities), directory: directory))
        {
            await v1.Client.StartWorkflowAsync("test.patch", id, new WorkflowStartOptions { Id = id });
            await Eventually.TrueAsync(async () => (await v1.HistoryAsync(id)).Any(e => e.EventType == HistoryEventType.ActivityTaskCompleted), "the first step's completion", Wait);
            await v1.Client.SignalAsync(id, "go");
            await Eventually.TrueAsync(() => activities.Journal.Contains($"waiting:add:{id}:2"), "the second step waiting at its gate", Wait);
        }

        activities.Open($"add:{id}:2");
    }

    private static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "udc-durable-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
