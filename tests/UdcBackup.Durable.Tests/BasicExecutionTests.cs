using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

public sealed class BasicExecutionTests
{
    [Fact]
    public async Task Workflow_runs_its_activities_and_records_every_step_in_history()
    {
        var activities = new TestActivities();
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<StepsWorkflow>().AddActivities(activities));

        var handle = await host.Client.StartWorkflowAsync("test.steps", new StepsInput("basic", 3), new WorkflowStartOptions { Id = "basic" });
        var result = await handle.GetResultAsync<int>().WaitAsync(TimeSpan.FromSeconds(10));

        result.Should().Be(6);
        activities.Journal.Should().Equal("add:basic:1", "add:basic:2", "add:basic:3", "cleanup:basic");
        var description = await host.Client.DescribeAsync("basic");
        description.Status.Should().Be(WorkflowExecutionStatus.Completed);
        description.Result!.Value.GetInt32().Should().Be(6);
        description.PendingActivities.Should().BeEmpty();
        description.History.Select(e => e.EventType).Should().Equal(
            HistoryEventType.WorkflowExecutionStarted,
            HistoryEventType.ActivityTaskScheduled, HistoryEventType.ActivityTaskStarted, HistoryEventType.ActivityTaskCompleted,
            HistoryEventType.ActivityTaskScheduled, HistoryEventType.ActivityTaskStarted, HistoryEventType.ActivityTaskCompleted,
            HistoryEventType.ActivityTaskScheduled, HistoryEventType.ActivityTaskStarted, HistoryEventType.ActivityTaskCompleted,
            HistoryEventType.ActivityTaskScheduled, HistoryEventType.ActivityTaskStarted, HistoryEventType.ActivityTaskCompleted,
            HistoryEventType.WorkflowExecutionCompleted);
        description.History.Select(e => e.EventId).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task A_listing_carries_each_closed_run_s_result_from_its_row()
    {
        var activities = new TestActivities();
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<StepsWorkflow>().AddActivities(activities));
        await host.Client.ExecuteWorkflowAsync<int>("test.steps", new StepsInput("listed", 3), new WorkflowStartOptions { Id = "listed" });

        var listed = (await host.Client.ListAsync(new WorkflowListFilter("test.steps"))).Should().ContainSingle().Subject;

        listed.Result!.Value.GetInt32().Should().Be(6);
    }
}
