using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests;

public sealed class EngineGuardTests
{
    [Fact]
    public async Task Awaiting_a_task_the_workflow_api_did_not_create_fails_the_execution_with_a_clear_message()
    {
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<MisbehavingWorkflow>());
        var handle = await host.Client.StartWorkflowAsync("test.misbehaving", null);
        await Eventually.TrueAsync(async () => await AwaitingAsync(handle), "the workflow awaits the outside task");
        MisbehavingWorkflow.Outside.SetResult();

        var act = () => handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(10));

        (await act.Should().ThrowAsync<WorkflowFailedException>()).Which.InnerException!.Message.Should().Contain("Workflow.DelayAsync");
    }

    [Fact]
    public async Task An_input_that_names_its_own_problem_is_refused_at_every_start_and_nothing_is_written()
    {
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<CountedWorkflow>().AddWorkflow<CountedParentWorkflow>());

        var start = () => host.Client.StartWorkflowAsync("test.counted", new CountInput(-2), new WorkflowStartOptions { Id = "bad" });
        (await start.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Be("Input of workflow 'test.counted' is invalid: count must be 0 or more, was -2.");
        (await host.Store.GetExecutionAsync("bad")).Should().BeNull("a refused start writes nothing");
        host.Runtime.CheckWorkflowInput("test.counted", System.Text.Json.JsonSerializer.SerializeToElement(new { count = -1 })).Should().Be("Input of workflow 'test.counted' is invalid: count must be 0 or more, was -1.");
        host.Runtime.CheckWorkflowInput("test.counted", System.Text.Json.JsonSerializer.SerializeToElement(new { count = 1 })).Should().BeNull();

        (await host.Client.ExecuteWorkflowAsync<string>("test.countedparent", -1).WaitAsync(TimeSpan.FromSeconds(10)))
            .Should().Be("refused:Input of workflow 'test.counted' is invalid: count must be 0 or more, was -1.");
        (await host.Client.ExecuteWorkflowAsync<string>("test.countedparent", 3).WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("child:3");
    }

    [Fact]
    public void Workflow_api_outside_workflow_code_is_refused()
    {
        FluentActions.Invoking(() => Workflow.UtcNow).Should().Throw<InvalidOperationException>();
        Workflow.InWorkflow.Should().BeFalse();
    }

    [Fact]
    public async Task Many_concurrent_executions_share_transactions_through_group_commit()
    {
        var activities = new TestActivities();
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<StepsWorkflow>().AddActivities(activities));

        var handles = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => host.Client.StartWorkflowAsync("test.steps", new StepsInput($"g{i}", 2))));
        var results = await Task.WhenAll(handles.Select(h => h.GetResultAsync<int>())).WaitAsync(TimeSpan.FromSeconds(30));

        results.Should().AllBeEquivalentTo(3);
        var (batches, sets) = host.Runtime.CommitStatistics;
        batches.Should().BeLessThan(sets, "concurrent executions' writes are committed together");
        (await host.Client.ListAsync(new WorkflowListFilter("test.steps", WorkflowExecutionStatus.Completed, 500))).Should().HaveCount(200);
    }

    private static async Task<bool> AwaitingAsync(WorkflowHandle handle)
    {
        try
        {
            return await handle.QueryAsync<bool>("awaiting");
        }
        catch (InvalidOperationException)
        {
            return false; // not started running yet
        }
    }
}
