using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Replay;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>Cancelling a parent reaches its running child according to the child's cancellation type; the request is durable across a crash.</summary>
public sealed class ChildCancellationTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly TestActivities activities = new();

    [Fact]
    public async Task By_default_the_child_is_cancelled_runs_its_finally_and_the_parent_waits_for_it()
    {
        await using var host = await StartAsync();
        activities.Close("add:cp1-child:2");
        await host.Client.StartWorkflowAsync("test.cancelparent", new CancelParentInput("cp1", 3), new WorkflowStartOptions { Id = "cp1" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:add:cp1-child:2"), "child step 2 running");

        await host.Client.CancelAsync("cp1", "operator");

        await ExpectCanceledAsync(host, "cp1");
        await ExpectCanceledAsync(host, "cp1-child");
        activities.Calls("cleanup:cp1-child").Should().ContainSingle("the child's durable finally ran once");
        activities.Calls("add:cp1-child:").Should().Equal("add:cp1-child:1", "add:cp1-child:2");
        var parent = (await host.HistoryAsync("cp1")).Select(e => e.EventType).ToList();
        parent.Should().ContainInOrder(
            HistoryEventType.WorkflowCancelRequested,
            HistoryEventType.ChildWorkflowCancelRequestInitiated,
            HistoryEventType.ChildWorkflowExecutionFailed,
            HistoryEventType.WorkflowExecutionCanceled);
        ExpectAcknowledgedAtMostOnceAfterTheRequest(parent);
        var child = await host.HistoryAsync("cp1-child");
        child.Should().ContainSingle(e => e.EventType == HistoryEventType.WorkflowCancelRequested).Which.Details.Should().Contain("cp1");
        (await host.Client.DescribeAsync("cp1")).CloseTime.Should().BeOnOrAfter((await host.Client.DescribeAsync("cp1-child")).CloseTime!.Value);
    }

    [Fact]
    public async Task Try_cancel_sends_the_request_and_the_parent_does_not_wait()
    {
        await using var host = await StartAsync();
        activities.Close("add:cp2-child:1");
        activities.Close("cleanup:cp2-child");
        await host.Client.StartWorkflowAsync("test.cancelparent", new CancelParentInput("cp2", 2, ChildWorkflowCancellationType.TryCancel), new WorkflowStartOptions { Id = "cp2" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:add:cp2-child:1"), "child step 1 running");

        await host.Client.CancelAsync("cp2");

        await ExpectCanceledAsync(host, "cp2");
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:cleanup:cp2-child"), "child cleanup started");
        (await host.Client.DescribeAsync("cp2-child")).Status.Should().Be(WorkflowExecutionStatus.Running, "the parent closed while the child still cleans up");
        activities.Open("cleanup:cp2-child");
        await ExpectCanceledAsync(host, "cp2-child");
    }

    [Fact]
    public async Task Abandon_leaves_the_child_running_to_its_own_end()
    {
        await using var host = await StartAsync();
        activities.Close("add:cp3-child:1");
        await host.Client.StartWorkflowAsync("test.cancelparent", new CancelParentInput("cp3", 2, ChildWorkflowCancellationType.Abandon), new WorkflowStartOptions { Id = "cp3" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:add:cp3-child:1"), "child step 1 running");

        await host.Client.CancelAsync("cp3");
        await ExpectCanceledAsync(host, "cp3");
        activities.Open("add:cp3-child:1");

        (await host.Client.GetResultAsync<int>("cp3-child").WaitAsync(Wait)).Should().Be(3);
        (await host.HistoryAsync("cp3")).Should().NotContain(e => e.EventType == HistoryEventType.ChildWorkflowCancelRequestInitiated);
        (await host.HistoryAsync("cp3-child")).Should().NotContain(e => e.EventType == HistoryEventType.WorkflowCancelRequested);
    }

    [Fact]
    public async Task A_crash_after_the_request_is_recorded_but_before_the_child_got_it_resends_it_once()
    {
        await using var host = await StartAsync();
        activities.Close("add:cp4-child:1");
        await host.Client.StartWorkflowAsync("test.cancelparent", new CancelParentInput("cp4", 2), new WorkflowStartOptions { Id = "cp4" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:add:cp4-child:1"), "child step 1 running");
        var childRunId = (await host.Client.DescribeAsync("cp4-child")).RunId;
        host.Store.CutWhen = sets => sets.Any(s => s.Events.Any(e => e.RunId == childRunId && e.Event.EventType == HistoryEventType.WorkflowCancelRequested));

        await host.Client.CancelAsync("cp4");
        await Eventually.TrueAsync(async () => (await host.HistoryAsync("cp4")).Any(e => e.EventType == HistoryEventType.ChildWorkflowCancelRequestInitiated), "request recorded in the parent");
        await Eventually.TrueAsync(() => host.Store.IsCut, "the child's commit was cut off");
        (await host.HistoryAsync("cp4-child")).Should().NotContain(e => e.EventType == HistoryEventType.WorkflowCancelRequested, "the crash came between the parent's commit and its effect");

        await host.CrashAsync();

        await ExpectCanceledAsync(host, "cp4");
        await ExpectCanceledAsync(host, "cp4-child");
        activities.Calls("cleanup:cp4-child").Should().ContainSingle();
        (await host.HistoryAsync("cp4-child")).Should().ContainSingle(e => e.EventType == HistoryEventType.WorkflowCancelRequested);
        var parent = await host.HistoryAsync("cp4");
        parent.Should().ContainSingle(e => e.EventType == HistoryEventType.ChildWorkflowCancelRequestInitiated);
        ExpectAcknowledgedAtMostOnceAfterTheRequest(parent.Select(e => e.EventType).ToList());
    }

    [Fact]
    public async Task Recorded_history_with_a_child_cancel_request_replays_and_a_missing_request_is_caught()
    {
        var history = WorkflowHistory.FromJson(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Histories", "child-cancel-canceled.json")));

        var result = await WorkflowReplayer.ReplayAsync<CancelParentWorkflow>(history);

        result.EventsReplayed.Should().Be(history.Events.Count);
        result.ClosedAs.Should().Be(WorkflowExecutionStatus.Canceled);
        var abandoned = history with { Events = [.. history.Events.Select(e => e.EventType == HistoryEventType.WorkflowExecutionStarted ? e with { Input = System.Text.Json.JsonSerializer.SerializeToElement(new { key = "rec", childSteps = 3, cancellationType = (int)ChildWorkflowCancellationType.Abandon }) } : e)] };
        var act = () => WorkflowReplayer.ReplayAsync<CancelParentWorkflow>(abandoned);
        (await act.Should().ThrowAsync<NonDeterminismException>()).Which.Message.Should().Contain("ChildWorkflowCancelRequestInitiated(command 1)");
    }

    /// <summary>
    /// The acknowledgement is appended to the parent after the child's request commit, and that
    /// commit also starts the child's cleanup: a child that closes first sends its outcome, the
    /// parent closes on it, and the late acknowledgement finds the parent closed and is dropped (a
    /// closed parent needs no re-send). So it comes once after the request or not at all; the
    /// order of the other events does not depend on which of the two wins (it did in this test,
    /// which failed 2 of 12 full runs under load).
    /// </summary>
    private static void ExpectAcknowledgedAtMostOnceAfterTheRequest(List<HistoryEventType> parent)
    {
        var acknowledged = parent.FindIndex(e => e == HistoryEventType.ChildWorkflowCancelRequestDelivered);
        parent.Count(e => e == HistoryEventType.ChildWorkflowCancelRequestDelivered).Should().BeLessThanOrEqualTo(1);
        if (acknowledged >= 0)
        {
            acknowledged.Should().BeGreaterThan(parent.IndexOf(HistoryEventType.ChildWorkflowCancelRequestInitiated), "a request is acknowledged only after it was recorded");
        }
    }

    private static async Task ExpectCanceledAsync(TestHost host, string workflowId)
    {
        var act = () => host.Client.GetResultAsync<string?>(workflowId).WaitAsync(Wait);
        (await act.Should().ThrowAsync<WorkflowFailedException>()).Which.Status.Should().Be(WorkflowExecutionStatus.Canceled);
    }

    private Task<TestHost> StartAsync() =>
        TestHost.StartAsync(o => o.AddWorkflow<CancelParentWorkflow>().AddWorkflow<StepsWorkflow>().AddActivities(activities));
}
