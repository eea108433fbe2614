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
