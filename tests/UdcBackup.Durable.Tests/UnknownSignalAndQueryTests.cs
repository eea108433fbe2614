using UdcBackup.Durable.Client;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>
/// A signal or query a workflow type does not have is refused naming the ones it has; a type
/// with none says so, not "Known: ." with an empty list.
/// </summary>
public sealed class UnknownSignalAndQueryTests
{
    private readonly TestActivities activities = new();

    [Fact]
    public async Task A_type_without_signals_or_queries_says_it_takes_none()
    {
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<TimerWorkflow>().AddActivities(activities));
        await host.Client.StartWorkflowAsync("test.timer", new TimerInput("none", 30), new WorkflowStartOptions { Id = "timer-none" });

        var signal = () => host.Client.SignalAsync("timer-none", "note");
        (await signal.Should().ThrowAsync<ArgumentException>()).Which.Message
            .Should().Be("Workflow type 'test.timer' has no signal 'note'. It takes no signals.");
        var query = () => host.Client.QueryAsync<string>("timer-none", "progress");
        (await query.Should().ThrowAsync<ArgumentException>()).Which.Message
            .Should().Be("Workflow type 'test.timer' has no query 'progress'. It takes no queries.");
    }

    [Fact]
    public async Task A_type_with_signals_and_queries_names_them()
    {
        await using var host = await TestHost.StartAsync(o => o.AddWorkflow<SignalWorkflow>());
        await host.Client.StartWorkflowAsync("test.signals", 60, new WorkflowStartOptions { Id = "signals-known" });

        var signal = () => host.Client.SignalAsync("signals-known", "note");
        (await signal.Should().ThrowAsync<ArgumentException>()).Which.Message
            .Should().StartWith("Workflow type 'test.signals' has no signal 'note'. Known: ").And.Contain("add").And.Contain("finish");
        var query = () => host.Client.QueryAsync<string>("signals-known", "progress");
        (await query.Should().ThrowAsync<ArgumentException>()).Which.Message
            .Should().StartWith("Workflow type 'test.signals' has no query 'progress'. Known: ").And.Contain("received").And.Contain("countWith");
    }
}
