using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

public sealed class ChildAndDeterminismTests
{
    private readonly TestActivities activities = new();

    [Fact]
    public async Task Parent_awaits_child_results()
    {
        await using var host = await StartAsync();
        var result = await host.Client.ExecuteWorkflowAsync<string>("test.parent", new ParentInput("p1", 3, false), new WorkflowStartOptions { Id = "p1" }).WaitAsync(TimeSpan.FromSeconds(10));

        result.Should().Be("sum:60");
        var history = await host.HistoryAsync("p1");
        history.Where(e => e.EventType == HistoryEventType.ChildWorkflowExecutionStarted).Select(e => e.WorkflowId).Should().Equal("p1-child-1", "p1-child-2", "p1-child-3");
        history.Count(e => e.EventType == HistoryEventType.ChildWorkflowExecutionCompleted).Should().Be(3);
        var child = await host.Client.DescribeAsync("p1-child-2");
        child.ParentWorkflowId.Should().Be("p1");
        child.Status.Should().Be(WorkflowExecutionStatus.Completed);
    }

    [Fact]
    public async Task Child_failure_propagates_to_the_parent()
    {
        await using var host = await StartAsync();
        var result = await host.Client.ExecuteWorkflowAsync<string>("test.parent", new ParentInput("p2", 2, true), new WorkflowStartOptions { Id = "p2" }).WaitAsync(TimeSpan.FromSeconds(10));

        result.Should().Be("child p2-child-2 failed: child gave up");
        (await host.Client.DescribeAsync("p2-child-2")).Status.Should().Be(WorkflowExecutionStatus.Failed);
    }

    [Fact]
    public async Task Parent_and_child_resume_after_a_crash_while_the_child_runs()
    {
        await using var host = await StartAsync();
        activities.Close("add:p3:2");
        await host.Client.StartWorkflowAsync("test.parent", new ParentInput("p3", 2, false), new WorkflowStartOptions { Id = "p3" });
        await Eventually.TrueAsync(() => activities.Journal.Contains("waiting:add:p3:2"), "second child running");

        await host.CrashAsync();
        activities.Open("add:p3:2");

        (await host.Client.GetResultAsync<string>("p3").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("sum:30");
    }

    [Fact]
    public async Task Time_guid_and_random_are_the_same_after_replay()
    {
        await using var host = await StartAsync();
        await host.Client.StartWorkflowAsync("test.determinism", null, new WorkflowStartOptions { Id = "d1" });
        await Eventually.TrueAsync(async () => (await host.Client.QueryAsync<string>("d1", "snapshot")).Length > 0, "snapshot taken");
        var before = await host.Client.QueryAsync<string>("d1", "snapshot");

        await host.RestartAsync();

        (await host.Client.QueryAsync<string>("d1", "snapshot")).Should().Be(before);
        await host.Client.SignalAsync("d1", "go");
        var result = await host.Client.GetResultAsync<string>("d1").WaitAsync(TimeSpan.FromSeconds(10));
        result.Should().StartWith(before);
        Guid.Parse(before.Split('|')[0]).ToString().Should().NotBe(Guid.Empty.ToString());
    }

    [Fact]
    public async Task Starting_a_running_id_unknown_type_or_bad_input_is_refused_without_writing()
    {
        await using var host = await StartAsync();
        await host.Client.StartWorkflowAsync("test.determinism", null, new WorkflowStartOptions { Id = "dup" });

        await FluentActions.Awaiting(() => host.Client.StartWorkflowAsync("test.determinism", null, new WorkflowStartOptions { Id = "dup" }))
            .Should().ThrowAsync<WorkflowAlreadyStartedException>();
        await FluentActions.Awaiting(() => host.Client.StartWorkflowAsync("no.such.type", null, new WorkflowStartOptions { Id = "x1" }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*no.such.type*test.child*");
        var badInput = System.Text.Json.JsonDocument.Parse("""{"key": 5, "children": "many"}""").RootElement;
        await FluentActions.Awaiting(() => host.Client.StartWorkflowAsync("test.parent", badInput, new WorkflowStartOptions { Id = "x2" }))
            .Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => host.Client.DescribeAsync("x1")).Should().ThrowAsync<WorkflowNotFoundException>();
        await FluentActions.Awaiting(() => host.Client.DescribeAsync("x2")).Should().ThrowAsync<WorkflowNotFoundException>();

        (await host.Client.ListAsync(new WorkflowListFilter(WorkflowType: "test.determinism"))).Should().ContainSingle();
    }

    [Fact]
    public async Task A_closed_id_can_be_reused_and_list_filters_by_type_and_status()
    {
        await using var host = await StartAsync();
        var first = await host.Client.StartWorkflowAsync("test.child", new ChildInput("reuse", 1, false), new WorkflowStartOptions { Id = "reuse" });
        await first.GetResultAsync<int>().WaitAsync(TimeSpan.FromSeconds(10));
        var second = await host.Client.StartWorkflowAsync("test.child", new ChildInput("reuse", 2, true), new WorkflowStartOptions { Id = "reuse" });
        await FluentActions.Awaiting(() => second.GetResultAsync<int>().WaitAsync(TimeSpan.FromSeconds(10))).Should().ThrowAsync<WorkflowFailedException>();

        second.RunId.Should().NotBe(first.RunId);
        (await host.Client.DescribeAsync("reuse")).RunId.Should().Be(second.RunId, "describe shows the latest run");
        (await host.Client.DescribeAsync("reuse", first.RunId)).Status.Should().Be(WorkflowExecutionStatus.Completed);
        await FluentActions.Awaiting(() => host.Client.StartWorkflowAsync("test.child", new ChildInput("r", 1, false), new WorkflowStartOptions { Id = "reuse", IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate }))
            .Should().ThrowAsync<WorkflowAlreadyStartedException>();
        var failed = await host.Client.ListAsync(new WorkflowListFilter(WorkflowType: "test.child", Status: WorkflowExecutionStatus.Failed));
        failed.Should().ContainSingle().Which.RunId.Should().Be(second.RunId);
    }

    private Task<TestHost> StartAsync() =>
        TestHost.StartAsync(o => o.AddWorkflow<ParentWorkflow>().AddWorkflow<ChildWorkflow>().AddWorkflow<DeterminismWorkflow>().AddActivities(activities));
}
