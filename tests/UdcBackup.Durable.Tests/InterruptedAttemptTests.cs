using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>
/// Attempts cut short by a stop or crash of the node running them: recorded in history, not
/// counted against MaximumAttempts, bounded by MaxInterruptedAttempts; real failures still count.
/// </summary>
public sealed class InterruptedAttemptTests
{
    private readonly TestActivities activities = new();

    [Fact]
    public async Task An_activity_cut_short_by_three_node_stops_still_completes_with_two_attempts_allowed()
    {
        await using var host = await StartAsync();
        activities.Close("transfer:k1:1");
        await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("transfer", "k1", MaxAttempts: 2, Chunks: 3), new WorkflowStartOptions { Id = "k1" });

        // Two kills and one planned stop, each while the attempt waits inside the activity.
        for (var stop = 1; stop <= 3; stop++)
        {
            var waits = stop;
            await Eventually.TrueAsync(() => activities.Calls("waiting:transfer:k1:1").Count() == waits, $"attempt {stop} inside the activity");
            if (stop == 2)
            {
                await host.RestartAsync();
            }
            else
            {
                await host.CrashAsync();
            }
        }

        await Eventually.TrueAsync(() => activities.Calls("waiting:transfer:k1:1").Count() == 4, "attempt 4 inside the activity");
        activities.Open("transfer:k1:1");

        (await host.Client.GetResultAsync<string>("k1").WaitAsync(TimeSpan.FromSeconds(10))).Should().StartWith("ok:");
        var history = await host.HistoryAsync("k1");
        var interrupted = history.Where(e => e.EventType == HistoryEventType.ActivityTaskAttemptInterrupted).ToList();
        interrupted.Select(e => e.Attempt).Should().Equal([1, 2, 3], "each cut attempt is visible in history");
        interrupted.Should().OnlyContain(e => e.Failure!.ErrorType == "WorkerStopped" && e.Failure.Message.Contains("does not count against MaximumAttempts", StringComparison.Ordinal));
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskCompleted).Attempt.Should().Be(4);
    }

    [Fact]
    public async Task A_failing_activity_interrupted_once_still_stops_after_two_real_failures()
    {
        var time = new ManualTimeProvider();
        await using var host = await StartAsync(time);
        activities.Close("gflaky:f1");
        await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("gated-flaky", "f1", Failures: 5, MaxAttempts: 2), new WorkflowStartOptions { Id = "f1" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:gflaky:f1"), "attempt 1 inside the activity");

        await host.CrashAsync();
        await Eventually.TrueAsync(() => activities.Calls("waiting:gflaky:f1").Count() == 2, "attempt 2 inside the activity");
        activities.Open("gflaky:f1");

        // Attempt 2 fails for real; attempt 3 waits for its 1 s backoff, then fails: two counted failures.
        await Eventually.TrueAsync(async () => (await host.Client.DescribeAsync("f1")).PendingActivities.SingleOrDefault()?.NextAttemptTime is not null, "retry of attempt 2 armed");
        time.Advance(TimeSpan.FromSeconds(1));

        (await host.Client.GetResultAsync<string>("f1").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("failed:app:Transient:attempt3");
        activities.Calls("flaky:f1:").Should().Equal(["flaky:f1:1:2", "flaky:f1:2:3"], "the interrupted attempt never reached the failing code and did not use up an attempt");
        var history = await host.HistoryAsync("f1");
        history.Should().ContainSingle(e => e.EventType == HistoryEventType.ActivityTaskAttemptInterrupted);
    }

    [Fact]
    public async Task An_activity_that_keeps_killing_its_node_fails_after_the_interruption_cap()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.AddWorkflow<ActivityPolicyWorkflow>().AddActivities(activities);
            o.MaxInterruptedAttempts = 2;
        });
        await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("hang", "loop"), new WorkflowStartOptions { Id = "loop" });
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var mark = $"hang:loop:{attempt}";
            await Eventually.TrueAsync(() => activities.Journal.Contains(mark), $"attempt {attempt} running");
            await host.CrashAsync();
        }

        (await host.Client.GetResultAsync<string>("loop").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("failed:app:ActivityInterruptedTooOften:attempt3");
        activities.Calls("hang:loop:").Should().HaveCount(3, "no attempt starts after the cap");
        var history = await host.HistoryAsync("loop");
        history.Count(e => e.EventType == HistoryEventType.ActivityTaskAttemptInterrupted).Should().Be(2);
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskFailed).Failure!.Message.Should().Contain("interrupted 3 times");
    }

    [Fact]
    public async Task An_activity_that_kills_its_node_the_moment_it_starts_is_stopped_by_the_interruption_cap()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.AddWorkflow<ActivityPolicyWorkflow>().AddActivities(activities);
            o.MaxInterruptedAttempts = 2;
        });
        activities.KillNode = () => host.Store.Cut();
        await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("kill", "kl"), new WorkflowStartOptions { Id = "kl" });

        // No waiting for the start to reach the store: the node dies as soon as the code runs.
        await CrashAfterEachKillAsync(host, "kill:kl:", [1, 2, 3]);

        (await host.Client.GetResultAsync<string>("kl").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("failed:app:ActivityInterruptedTooOften:attempt3");
        activities.Calls("kill:kl:").Should().Equal(["kill:kl:1", "kill:kl:2", "kill:kl:3"], "every kill advanced the attempt, and none starts after the cap");
        var history = await host.HistoryAsync("kl");
        history.Where(e => e.EventType == HistoryEventType.ActivityTaskAttemptInterrupted).Select(e => e.Attempt).Should().Equal([1, 2], "each cut attempt is in history");
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskFailed).Failure!.Message.Should().Contain("interrupted 3 times");
    }

    [Fact]
    public async Task A_retry_that_kills_its_node_the_moment_it_starts_is_recorded_as_interrupted()
    {
        var time = new ManualTimeProvider();
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddWorkflow<ActivityPolicyWorkflow>().AddActivities(activities);
                o.MaxInterruptedAttempts = 1;
            },
            time);
        activities.KillNode = () => host.Store.Cut();
        await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("kill", "kr", Failures: 1), new WorkflowStartOptions { Id = "kr" });

        // Attempt 1 fails for real; its retry (after the 1 s backoff) is the first to kill the node.
        await Eventually.TrueAsync(async () => (await host.Client.DescribeAsync("kr")).PendingActivities.SingleOrDefault()?.NextAttemptTime is not null, "retry of attempt 1 armed");
        time.Advance(TimeSpan.FromSeconds(1));
        await CrashAfterEachKillAsync(host, "kill:kr:", [2, 3]);

        (await host.Client.GetResultAsync<string>("kr").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("failed:app:ActivityInterruptedTooOften:attempt3");
        activities.Calls("kill:kr:").Should().Equal(["kill:kr:1", "kill:kr:2", "kill:kr:3"]);
        var history = await host.HistoryAsync("kr");
        history.Where(e => e.EventType == HistoryEventType.ActivityTaskAttemptInterrupted).Select(e => e.Attempt).Should().Equal([2], "the retry's start was in the store before its code ran");
    }

    /// <summary>For each attempt in turn: waits until it ran and cut the store, then throws the runtime away and opens a new one.</summary>
    private async Task CrashAfterEachKillAsync(TestHost host, string prefix, int[] attempts)
    {
        foreach (var attempt in attempts)
        {
            await Eventually.TrueAsync(() => activities.Journal.Contains($"{prefix}{attempt}") && host.Store.IsCut, $"attempt {attempt} started and killed its node");
            await host.CrashAsync();
        }
    }

    private Task<TestHost> StartAsync(ManualTimeProvider? time = null) =>
        TestHost.StartAsync(o => o.AddWorkflow<ActivityPolicyWorkflow>().AddActivities(activities), time);
}
