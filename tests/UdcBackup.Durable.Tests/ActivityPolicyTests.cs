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
        await AdvanceUntilDoneAsync(host, time, handle);

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
        await AdvanceUntilDoneAsync(host, time, handle);

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
        await AdvanceUntilDoneAsync(host, time, handle);

        (await handle.GetResultAsync<string>()).Should().StartWith("failed:timeout:");
        activities.Calls("hang:s2c:").Count().Should().BeInRange(2, 3, "attempts at 0 s and 5 s, a third one at 11 s only if it fits before the 12 s deadline");
        var scheduled = (await host.HistoryAsync("s2c")).Single(e => e.EventType == History.HistoryEventType.ActivityTaskScheduled).Timestamp;
        scheduled.Should().Be(start.UtcDateTime);
    }

    private static async Task AdvanceUntilDoneAsync(TestHost host, ManualTimeProvider time, WorkflowHandle handle)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await host.Client.DescribeAsync(handle.Id)).Status.Equals(WorkflowExecutionStatus.Completed))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the workflow should finish as time passes");
            await Task.Delay(3);
            time.Advance(TimeSpan.FromMilliseconds(500));
        }
    }

    private Task<TestHost> StartAsync(ManualTimeProvider time) =>
        TestHost.StartAsync(o => o.AddWorkflow<ActivityPolicyWorkflow>().AddActivities(activities), time);
}
