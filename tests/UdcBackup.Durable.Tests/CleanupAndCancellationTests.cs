using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

public sealed class CleanupAndCancellationTests
{
    private readonly TestActivities activities = new();

    [Fact]
    public async Task Finally_cleanup_runs_after_an_activity_failure_and_the_workflow_fails()
    {
        await using var host = await StartAsync();
        var handle = await host.Client.StartWorkflowAsync("test.failing", "fail1", new WorkflowStartOptions { Id = "fail1" });

        var act = () => handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var failure = (await act.Should().ThrowAsync<WorkflowFailedException>()).Which;
        failure.Status.Should().Be(WorkflowExecutionStatus.Failed);
        failure.InnerException.Should().BeOfType<ActivityFailureException>().Which.InnerException.Should().BeOfType<ApplicationFailureException>()
            .Which.ErrorType.Should().Be("Fatal");
        activities.Calls("cleanup:fail1").Should().ContainSingle();
        var description = await host.Client.DescribeAsync("fail1");
        description.Failure!.Kind.Should().Be("Activity");
        description.History[^1].EventType.Should().Be(HistoryEventType.WorkflowExecutionFailed);
    }

    [Fact]
    public async Task Cancel_fires_the_token_the_finally_still_runs_its_cleanup_and_the_run_ends_canceled()
    {
        await using var host = await StartAsync();
        activities.Close("add:c1:2");
        var handle = await host.Client.StartWorkflowAsync("test.steps", new StepsInput("c1", 5), new WorkflowStartOptions { Id = "c1" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:add:c1:2"), "step 2 running");

        await handle.CancelAsync("operator");

        var act = () => handle.GetResultAsync<int>().WaitAsync(TimeSpan.FromSeconds(10));
        (await act.Should().ThrowAsync<WorkflowFailedException>()).Which.Status.Should().Be(WorkflowExecutionStatus.Canceled);
        activities.Calls("cleanup:c1").Should().ContainSingle();
        activities.Calls("add:c1:").Should().Equal("add:c1:1", "add:c1:2");
        var types = (await host.HistoryAsync("c1")).Select(e => e.EventType).ToList();
        types.Should().ContainInOrder(
            HistoryEventType.WorkflowCancelRequested,
            HistoryEventType.ActivityTaskCancelRequested,
            HistoryEventType.ActivityTaskScheduled,
            HistoryEventType.ActivityTaskCompleted,
            HistoryEventType.WorkflowExecutionCanceled);
    }

    [Fact]
    public async Task A_cancelled_activity_and_one_the_code_tries_after_the_cancel_say_the_run_was_cancelled_and_why()
    {
        await using var host = await StartAsync();
        activities.Close("add:w1:1");
        var handle = await host.Client.StartWorkflowAsync("test.cancelwords", "w1", new WorkflowStartOptions { Id = "w1" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:add:w1:1"), "step 1 running");

        await handle.CancelAsync("maintenance window");

        var said = await handle.GetResultAsync<string[]>().WaitAsync(TimeSpan.FromSeconds(10));
        said.Should().Equal(
            "Activity 'test.add' was cancelled. Workflow cancelled: maintenance window.",
            "Workflow cancelled: maintenance window.",
            "Activity 'test.add' was not started. Workflow cancelled: maintenance window.",
            "Workflow cancelled: maintenance window.");
        activities.Calls("add:w1:").Should().Equal("add:w1:1");
    }

    [Fact]
    public async Task A_run_recovered_on_a_thread_with_a_synchronization_context_still_runs_its_finally_when_cancelled()
    {
        // Recovery replays on the caller's thread. A thread with a SynchronizationContext (a test
        // framework's, a UI's) must not capture the workflow's awaits: their continuations would then
        // run outside the run's steps, and the cleanup in the finally would never be recorded.
        await using var host = await StartAsync();
        activities.Close("add:sc:2");
        await host.Client.StartWorkflowAsync("test.steps", new StepsInput("sc", 3), new WorkflowStartOptions { Id = "sc" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:add:sc:2"), "step 2 running");
        await host.StopRuntimeAsync();

        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(new PostingContext());
        Task started;
        try
        {
            started = host.StartRuntimeAsync();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        await started;
        await Eventually.TrueAsync(() => activities.Calls("add:sc:2").Count() == 2, "step 2 runs again after the restart");
        await host.Client.CancelAsync("sc", "operator");

        var act = () => host.Client.GetResultAsync<int>("sc").WaitAsync(TimeSpan.FromSeconds(10));
        (await act.Should().ThrowAsync<WorkflowFailedException>()).Which.Status.Should().Be(WorkflowExecutionStatus.Canceled);
        activities.Calls("cleanup:sc").Should().ContainSingle();
    }

    [Fact]
    public async Task A_second_cancel_request_records_nothing_and_answers_with_the_first()
    {
        await using var host = await StartAsync();
        activities.Close("add:twice:2");
        activities.Close("cleanup:twice");
        var handle = await host.Client.StartWorkflowAsync("test.steps", new StepsInput("twice", 5), new WorkflowStartOptions { Id = "twice" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:add:twice:2"), "step 2 running", 60_000);

        var first = await handle.CancelAsync("requested by alice");
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:cleanup:twice"), "the cleanup runs, so the run is still running", 60_000);
        var second = await handle.CancelAsync("requested by bob");

        first.AlreadyRequested.Should().BeFalse();
        var recorded = (await host.HistoryAsync("twice")).Where(e => e.EventType == HistoryEventType.WorkflowCancelRequested).Should().ContainSingle().Subject;
        recorded.Details.Should().Be("requested by alice");
        second.Should().Be(new WorkflowCancelRequest("twice", handle.RunId, recorded.Timestamp, "requested by alice", AlreadyRequested: true));

        activities.Open("cleanup:twice");
        var act = () => handle.GetResultAsync<int>();
        (await act.Should().ThrowAsync<WorkflowFailedException>()).Which.Status.Should().Be(WorkflowExecutionStatus.Canceled);
        (await host.HistoryAsync("twice")).Count(e => e.EventType == HistoryEventType.WorkflowCancelRequested).Should().Be(1);
    }

    [Fact]
    public async Task Cancel_of_a_closed_or_unknown_execution_is_refused()
    {
        await using var host = await StartAsync();
        await host.Client.ExecuteWorkflowAsync<int>("test.steps", new StepsInput("done", 1), new WorkflowStartOptions { Id = "done" }).WaitAsync(TimeSpan.FromSeconds(10));

        await FluentActions.Awaiting(() => host.Client.CancelAsync("done")).Should().ThrowAsync<InvalidOperationException>();
        await FluentActions.Awaiting(() => host.Client.CancelAsync("nobody")).Should().ThrowAsync<WorkflowNotFoundException>();
    }

    [Fact]
    public async Task Timer_of_30_days_survives_a_restart_and_120_days_pass_in_milliseconds()
    {
        var time = new ManualTimeProvider();
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<TimerWorkflow>().AddActivities(activities), time);
        var start = time.GetUtcNow().UtcDateTime;
        await host.Client.StartWorkflowAsync("test.timer", new TimerInput("t30", 30), new WorkflowStartOptions { Id = "t30" });
        await host.Client.StartWorkflowAsync("test.timer", new TimerInput("t120", 120), new WorkflowStartOptions { Id = "t120" });
        await Eventually.TrueAsync(async () => (await host.Store.LoadTimersAsync(null, "test-node")).Count == 2, "both timers recorded");

        time.Advance(TimeSpan.FromDays(29));
        await host.RestartAsync();
        activities.Journal.Should().BeEmpty("no timer is due yet");

        time.Advance(TimeSpan.FromDays(1));
        var first = await host.Client.GetResultAsync<DateTime[]>("t30").WaitAsync(TimeSpan.FromSeconds(10));
        first[1].Should().Be(start.AddDays(30), "the workflow clock is the fire time of the timer");

        time.Advance(TimeSpan.FromDays(90));
        var second = await host.Client.GetResultAsync<DateTime[]>("t120").WaitAsync(TimeSpan.FromSeconds(10));
        second[0].Should().Be(start);
        second[1].Should().Be(start.AddDays(120));
        var history = await host.HistoryAsync("t120");
        history.Single(e => e.EventType == HistoryEventType.TimerStarted).FireAt.Should().Be(start.AddDays(120));
        history.Should().ContainSingle(e => e.EventType == HistoryEventType.TimerFired);
    }

    [Fact]
    public async Task Signals_are_recorded_before_the_workflow_sees_them_and_queries_add_no_events()
    {
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<SignalWorkflow>());
        var handle = await host.Client.StartWorkflowAsync("test.signals", 60, new WorkflowStartOptions { Id = "s1" });
        await handle.SignalAsync("add", "a");
        await handle.SignalAsync("add", "b");
        await Eventually.TrueAsync(async () => (await handle.QueryAsync<int>("countWith", "")) == 2, "signals applied");
        var before = (await handle.DescribeAsync()).History.Count;

        (await handle.QueryAsync<List<string>>("received")).Should().Equal("a", "b");
        (await handle.QueryAsync<int>("countWith", "a")).Should().Be(1);
        (await handle.DescribeAsync()).History.Count.Should().Be(before, "queries never write history");

        await host.RestartAsync();
        (await host.Client.QueryAsync<List<string>>("s1", "received")).Should().Equal("a", "b");
        await host.Client.SignalAsync("s1", "add", "c");
        await host.Client.SignalAsync("s1", "finish");

        (await host.Client.GetResultAsync<string>("s1").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("finished:a,b,c");
        (await host.HistoryAsync("s1")).Where(e => e.EventType == HistoryEventType.WorkflowSignaled).Select(e => e.SignalName)
            .Should().Equal("add", "add", "add", "finish");
        await FluentActions.Awaiting(() => host.Client.SignalAsync("s1", "add", "late")).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task Unknown_signal_is_refused_and_writes_nothing()
    {
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<SignalWorkflow>());
        var handle = await host.Client.StartWorkflowAsync("test.signals", 60, new WorkflowStartOptions { Id = "s2" });
        await Eventually.TrueAsync(async () => (await handle.DescribeAsync()).History.Count >= 2, "timer started");
        var before = (await handle.DescribeAsync()).History.Count;

        await FluentActions.Awaiting(() => handle.SignalAsync("nope")).Should().ThrowAsync<ArgumentException>().WithMessage("*nope*");
        (await handle.DescribeAsync()).History.Count.Should().Be(before);
    }

    [Fact]
    public async Task Wait_condition_times_out_on_the_durable_clock()
    {
        var time = new ManualTimeProvider();
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<SignalWorkflow>(), time);
        var handle = await host.Client.StartWorkflowAsync("test.signals", 30, new WorkflowStartOptions { Id = "w1" });
        await handle.SignalAsync("add", "x");
        await Eventually.TrueAsync(async () => (await handle.DescribeAsync()).History.Any(e => e.EventType == HistoryEventType.TimerStarted), "condition timer recorded");
        await Eventually.TrueAsync(async () => (await handle.QueryAsync<List<string>>("received")).Count == 1, "signal applied");

        time.Advance(TimeSpan.FromMinutes(30));

        (await handle.GetResultAsync<string>().WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("timeout:x");
    }

    /// <summary>A context that posts to the thread pool; being a subclass, awaits capture it (the base class is ignored).</summary>
    private sealed class PostingContext : SynchronizationContext
    {
    }

    private Task<TestHost> StartAsync() =>
        TestHost.StartAsync(o => o.AddWorkflow<StepsWorkflow>().AddWorkflow<FailingStepsWorkflow>().AddWorkflow<CancelWordsWorkflow>().AddActivities(activities));
}
