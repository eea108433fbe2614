using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>Caching (no replay per step), restart recovery, crash in the middle of a try block, heartbeat resume.</summary>
public sealed class RecoveryTests
{
    private readonly TestActivities activities = new();

    [Fact]
    public async Task A_step_does_not_replay_the_workflow_but_a_restart_does()
    {
        await using var host = await StartAsync();
        activities.Close("add:cache:5");
        var handle = await host.Client.StartWorkflowAsync("test.steps", new StepsInput("cache", 5), new WorkflowStartOptions { Id = "cache" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:add:cache:5"), "step 5 reached");

        StepsWorkflow.RunEntries["cache"].Should().Be(1, "four completed activities were applied to the cached instance without re-running it");
        (await host.Client.QueryAsync<int>("cache", "completed")).Should().Be(4);

        await host.RestartAsync();
        StepsWorkflow.RunEntries["cache"].Should().Be(2, "recovery replays the history once");
        (await host.Client.QueryAsync<int>("cache", "completed")).Should().Be(4, "replay rebuilt the state");
        activities.Open("add:cache:5");

        (await host.Client.GetResultAsync<int>("cache").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(15);
        var history = await host.HistoryAsync("cache");
        history.Count(e => e.EventType == HistoryEventType.ActivityTaskCompleted).Should().Be(6);
        activities.Calls("add:cache:").Should().Equal("add:cache:1", "add:cache:2", "add:cache:3", "add:cache:4", "add:cache:5", "add:cache:5");
        _ = handle;
    }

    [Fact]
    public async Task Crash_in_the_middle_of_the_try_block_resumes_and_runs_the_finally_once()
    {
        await using var host = await StartAsync();
        activities.Close("add:crash:3");
        await host.Client.StartWorkflowAsync("test.steps", new StepsInput("crash", 4), new WorkflowStartOptions { Id = "crash" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:add:crash:3"), "step 3 running");

        await host.CrashAsync();
        activities.Open("add:crash:3");

        (await host.Client.GetResultAsync<int>("crash").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(10);
        var history = await host.HistoryAsync("crash");
        var completedSteps = history.Where(e => e.EventType == HistoryEventType.ActivityTaskCompleted).Select(e => e.CommandId).ToList();
        completedSteps.Should().OnlyHaveUniqueItems().And.HaveCount(5, "four steps and the cleanup, each recorded once");
        activities.Calls("cleanup:crash").Should().ContainSingle();
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskStarted && e.CommandId == 3).Attempt.Should().Be(2, "attempt numbers count the attempt cut by the crash (the retry policy does not)");
    }

    [Fact]
    public async Task Crash_during_the_finally_cleanup_runs_the_cleanup_again_and_completes()
    {
        await using var host = await StartAsync();
        activities.Close("cleanup:fin");
        await host.Client.StartWorkflowAsync("test.steps", new StepsInput("fin", 2), new WorkflowStartOptions { Id = "fin" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:cleanup:fin"), "cleanup running");

        await host.CrashAsync();
        activities.Open("cleanup:fin");

        (await host.Client.GetResultAsync<int>("fin").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(3);
        activities.Calls("cleanup:fin").Should().ContainSingle("the interrupted attempt never got past its gate");
        var history = await host.HistoryAsync("fin");
        history.Where(e => e.EventType == HistoryEventType.ActivityTaskCompleted).Select(e => e.CommandId).Should().Equal(1, 2, 3);
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskStarted && e.CommandId == 3).Attempt.Should().Be(2);
    }

    [Fact]
    public async Task A_step_cut_off_at_its_commit_loses_the_outcome_and_the_commands_together_and_replay_redoes_both()
    {
        await using var host = await StartAsync();

        // Cut the store exactly when the step after activity 2 tries to record "schedule activity 3":
        // the same commit carries activity 2's outcome (one commit per step), so both are lost together.
        host.Store.CutWhen = sets => sets.Any(s => s.Events.Any(e => e.Event.EventType == HistoryEventType.ActivityTaskScheduled && e.Event.CommandId == 3));
        await host.Client.StartWorkflowAsync("test.steps", new StepsInput("lost", 3), new WorkflowStartOptions { Id = "lost" });
        await Eventually.TrueAsync(() => host.Store.IsCut, "the step after activity 2 was cut off");
        var runId = (await host.Client.DescribeAsync("lost")).RunId;
        (await host.Store.LoadHistoryAsync(runId)).Should().NotContain(e => e.CommandId == 2 && e.EventType == HistoryEventType.ActivityTaskCompleted, "an outcome is written with the step it triggers");

        await host.CrashAsync();

        (await host.Client.GetResultAsync<int>("lost").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(6);
        activities.Calls("add:lost:").Should().Equal(["add:lost:1", "add:lost:2", "add:lost:2", "add:lost:3"], "the activity whose outcome was not durable runs again (at least once)");
        var history = await host.HistoryAsync("lost");
        history.Where(e => e.EventType == HistoryEventType.ActivityTaskCompleted).Select(e => e.CommandId).Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public async Task Heartbeat_details_survive_a_crash_and_the_next_attempt_resumes_from_them()
    {
        await using var host = await StartAsync();
        activities.Close("transfer:t1:6");
        await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("transfer", "t1", Chunks: 10, HeartbeatSeconds: 30), new WorkflowStartOptions { Id = "t1" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:transfer:t1:6"), "60% copied");
        (await host.Client.DescribeAsync("t1")).PendingActivities.Single().HeartbeatDetails!.Value.GetInt32().Should().Be(6, "describe shows the latest heartbeat");

        // Heartbeats are persisted at most every ~1 s; wait until the 60% mark is durable, then crash.
        await Eventually.TrueAsync(async () => (await host.Store.LoadActivityTasksAsync((await host.Client.DescribeAsync("t1")).RunId)).Single().HeartbeatDetails?.GetInt32() == 6, "heartbeat persisted", 5000);
        await host.CrashAsync();
        activities.Open("transfer:t1:6");

        (await host.Client.GetResultAsync<string>("t1").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("ok:from6");
        activities.Journal.Should().Contain("transfer:t1:attempt2:from6");
        activities.Calls("chunk:t1:").Should().HaveCount(10, "no chunk copied twice");
    }

    [Fact]
    public async Task Heartbeat_details_are_handed_to_the_retry_of_a_failed_attempt()
    {
        var time = new ManualTimeProvider();
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<ActivityPolicyWorkflow>().AddActivities(activities), time);
        activities.Close("transfer:t2:4");
        var handle = await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("transfer", "t2", Chunks: 8, HeartbeatSeconds: 10, StartToCloseSeconds: 3600), new WorkflowStartOptions { Id = "t2" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:transfer:t2:4"), "half copied");

        time.Advance(TimeSpan.FromSeconds(10));  // heartbeat timeout: attempt 1 fails
        await Eventually.TrueAsync(async () => (await host.Client.DescribeAsync("t2")).PendingActivities.Single().Attempt == 2, "retry scheduled");
        (await host.Client.DescribeAsync("t2")).PendingActivities.Single().LastFailure!.Kind.Should().Be("Timeout");
        activities.Open("transfer:t2:4");
        time.Advance(TimeSpan.FromSeconds(1));

        (await handle.GetResultAsync<string>().WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("ok:from4");
    }

    private Task<TestHost> StartAsync() =>
        TestHost.StartAsync(o => o.AddWorkflow<StepsWorkflow>().AddWorkflow<ActivityPolicyWorkflow>().AddActivities(activities));
}
