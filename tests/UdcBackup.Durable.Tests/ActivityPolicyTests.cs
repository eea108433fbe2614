using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>Retries, backoff, non-retryable errors and timeouts, on a manual clock.</summary>
public sealed class ActivityPolicyTests
{
    private readonly TestActivities activities = new();

    [Fact]
    public async Task Failed_attempts_are_retried_with_exponential_backoff_until_success()
    {
        var time = new ManualTimeProvider();
        await using var host = await StartAsync(time);
        var start = time.GetUtcNow();
        var handle = await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("flaky", "r1", Failures: 3), new WorkflowStartOptions { Id = "r1" });

        // Attempt 1 fails at once; then 1 s, 2 s, 4 s of backoff.
        foreach (var (attempt, delay) in new[] { (2, 1), (3, 2), (4, 4) })
        {
            await Eventually.TrueAsync(async () => (await host.Client.DescribeAsync("r1")).PendingActivities.SingleOrDefault()?.Attempt == attempt, $"retry state of attempt {attempt} persisted");
            var pending = (await host.Client.DescribeAsync("r1")).PendingActivities.Single();
            pending.NextAttemptTime.Should().Be(time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(delay));
            pending.LastFailure!.ErrorType.Should().Be("Transient");
            activities.AttemptsOf("r1").Should().Be(attempt - 1, "the next attempt waits for its backoff");
            time.Advance(TimeSpan.FromSeconds(delay));
        }

        (await handle.GetResultAsync<string>().WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("ok:4");
        (time.GetUtcNow() - start).Should().Be(TimeSpan.FromSeconds(7));
        var history = await host.HistoryAsync("r1");
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskCompleted).Attempt.Should().Be(4);
        history.Should().NotContain(e => e.EventType == HistoryEventType.ActivityTaskFailed, "retried attempts live in the task row, not in history");
    }

    [Fact]
    public async Task The_backoff_stops_growing_at_the_maximum_interval()
    {
        var time = new ManualTimeProvider();
        await using var host = await StartAsync(time);
        var handle = await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("flaky", "cap", Failures: 6), new WorkflowStartOptions { Id = "cap" });

        // Initial 1 s, coefficient 2, maximum 10 s: 1, 2, 4, 8, then 10 and 10 instead of 16 and 32.
        foreach (var (attempt, delay) in new[] { (2, 1), (3, 2), (4, 4), (5, 8), (6, 10), (7, 10) })
        {
            await Eventually.TrueAsync(async () => (await host.Client.DescribeAsync("cap")).PendingActivities.SingleOrDefault()?.Attempt == attempt, $"retry state of attempt {attempt} persisted");
            (await host.Client.DescribeAsync("cap")).PendingActivities.Single().NextAttemptTime.Should().Be(time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(delay), $"attempt {attempt} waits {delay} s");
            time.Advance(TimeSpan.FromSeconds(delay));
        }

        (await handle.GetResultAsync<string>().WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("ok:7");
    }

    [Fact]
    public async Task Non_retryable_error_type_fails_at_once()
    {
        await using var host = await StartAsync(new ManualTimeProvider());
        var result = await host.Client.ExecuteWorkflowAsync<string>("test.policy", new PolicyInput("flaky", "nr", Failures: 5, ErrorType: "Fatal", NonRetryable: ["Fatal"]), new WorkflowStartOptions { Id = "nr" })
            .WaitAsync(TimeSpan.FromSeconds(10));

        result.Should().Be("failed:app:Fatal:attempt1");
        activities.AttemptsOf("nr").Should().Be(1);
        var failed = (await host.HistoryAsync("nr")).Single(e => e.EventType == HistoryEventType.ActivityTaskFailed);
        failed.Failure!.ErrorType.Should().Be("Fatal");
    }

    [Fact]
    public async Task Maximum_attempts_end_the_retries_with_the_last_failure()
    {
        var time = new ManualTimeProvider();
        await using var host = await StartAsync(time);
        var handle = await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("flaky", "max", Failures: 10, MaxAttempts: 3), new WorkflowStartOptions { Id = "max" });
        await AdvanceUntilDoneAsync(host, time, handle);

        (await handle.GetResultAsync<string>()).Should().Be("failed:app:Transient:attempt3");
        activities.AttemptsOf("max").Should().Be(3);
    }

    [Fact]
    public async Task Unregistered_activity_fails_without_retrying()
    {
        await using var host = await StartAsync(new ManualTimeProvider());
        var result = await host.Client.ExecuteWorkflowAsync<string>("test.policy", new PolicyInput("missing", "m"), new WorkflowStartOptions { Id = "missing" }).WaitAsync(TimeSpan.FromSeconds(10));
        result.Should().Be("failed:app:ActivityNotRegistered:attempt1");
    }

    [Fact]
    public async Task Start_to_close_timeout_fails_the_attempt_and_it_is_retried()
    {
        var time = new ManualTimeProvider();
        await using var host = await StartAsync(time);
        var handle = await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("hang", "stc", MaxAttempts: 2, StartToCloseSeconds: 5), new WorkflowStartOptions { Id = "stc" });
        await AdvanceUntilDoneAsync(host, time, handle, hanging: "hang:stc:");

        (await handle.GetResultAsync<string>()).Should().Be("failed:timeout:StartToClose:attempt2");
        activities.Calls("hang:stc:").Should().Equal("hang:stc:1", "hang:stc:2");
        (await host.HistoryAsync("stc")).Should().Contain(e => e.EventType == HistoryEventType.ActivityTaskTimedOut);
    }

    [Fact]
    public async Task Heartbeat_timeout_fails_a_silent_attempt_and_it_is_retried()
    {
        var time = new ManualTimeProvider();
        await using var host = await StartAsync(time);
        var handle = await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("hang", "hb", MaxAttempts: 3, StartToCloseSeconds: 3600, HeartbeatSeconds: 10), new WorkflowStartOptions { Id = "hb" });
        await AdvanceUntilDoneAsync(host, time, handle, hanging: "hang:hb:");

        (await handle.GetResultAsync<string>()).Should().Be("failed:timeout:Heartbeat:attempt3");
        activities.Calls("hang:hb:").Should().HaveCount(3);
    }

    [Fact]
    public async Task Schedule_to_close_timeout_is_final()
    {
        var time = new ManualTimeProvider();
        await using var host = await StartAsync(time);
        var start = time.GetUtcNow();
        var handle = await host.Client.StartWorkflowAsync("test.policy", new PolicyInput("hang", "s2c", StartToCloseSeconds: 4, ScheduleToCloseSeconds: 12), new WorkflowStartOptions { Id = "s2c" });
        await AdvanceUntilDoneAsync(host, time, handle, hanging: "hang:s2c:");

        (await handle.GetResultAsync<string>()).Should().Be("failed:timeout:ScheduleToClose:attempt3");
        activities.Calls("hang:s2c:").Should().Equal(["hang:s2c:1", "hang:s2c:2", "hang:s2c:3"], "attempts at 0 s and 5 s (each cut at 4 s), a third at 11 s that the 12 s deadline cuts");
        var history = await host.HistoryAsync("s2c");
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskScheduled).Timestamp.Should().Be(start.UtcDateTime);
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskTimedOut).Timestamp.Should().Be(start.UtcDateTime.AddSeconds(12), "the deadline cuts the third attempt, not its own 4 s limit");
    }

    /// <summary>
    /// Moves the clock only while the run waits on it, and only to what it waits for: a retry whose
    /// timer is armed (to its due time), or a hanging attempt whose code runs (to the earliest
    /// one-shot timer, its timeout; the attempt's timers are armed before its code starts). Each
    /// step waits until the run has reached a new waiting state, so the runtime's work after a
    /// timeout (the failure, the retry time it computes from the clock) never sees a clock that
    /// ran on without it. Advancing 500 ms every few milliseconds did that on a loaded machine:
    /// an attempt could start after the schedule-to-close deadline it should have beaten.
    /// </summary>
    private async Task AdvanceUntilDoneAsync(TestHost host, ManualTimeProvider time, WorkflowHandle handle, string? hanging = null)
    {
        object? lastStep = null;
        for (var step = 0; step < 100; step++)
        {
            WorkflowExecutionDescription? described = null;
            PendingActivityInfo? pending = null;
            await Eventually.TrueAsync(
                async () =>
                {
                    described = await host.Client.DescribeAsync(handle.Id);
                    pending = described.PendingActivities.SingleOrDefault();
                    if (described.Status != WorkflowExecutionStatus.Running)
                    {
                        return true;
                    }

                    return !Equals(StepOf(pending), lastStep) && pending switch
                    {
                        { NextAttemptTime: { } at } => time.HasTimerDueAt(new DateTimeOffset(at, TimeSpan.Zero)),
                        { LastStartedTime: not null } running when hanging is not null => activities.Calls(hanging).Contains($"{hanging}{running.Attempt}"),
                        _ => false,
                    };
                },
                $"run {handle.Id} waits on the clock (step {step})",
                30_000);
            if (described!.Status != WorkflowExecutionStatus.Running)
            {
                return;
            }

            lastStep = StepOf(pending);
            var target = pending!.NextAttemptTime is { } retryAt ? new DateTimeOffset(retryAt, TimeSpan.Zero) : time.NextOneShotDue!.Value;
            time.Advance(target - time.GetUtcNow());
        }

        throw new InvalidOperationException($"run {handle.Id} did not finish within 100 clock steps");

        static object? StepOf(PendingActivityInfo? p) => p is null ? null : (p.Attempt, p.NextAttemptTime, p.LastStartedTime);
    }

    private Task<TestHost> StartAsync(ManualTimeProvider time) =>
        TestHost.StartAsync(o => o.AddWorkflow<ActivityPolicyWorkflow>().AddActivities(activities), time);
}
