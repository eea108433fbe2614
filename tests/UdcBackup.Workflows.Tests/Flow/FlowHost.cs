using System.Text.Json;
using UdcBackup.Durable;
using UdcBackup.Durable.Client;
using UdcBackup.Workflows.Flow;
using UdcBackup.Workflows.Tests.Support;

namespace UdcBackup.Workflows.Tests.Flow;

/// <summary>
/// The <see cref="OrchestrationHost"/> runtime (SQLite file, crash by cutting the store) with the
/// <c>flow</c> workflow and the flow test activities instead of the backup workflows, plus
/// helpers to start a flow and wait for its nodes.
/// </summary>
public sealed class FlowHost : IAsyncDisposable
{
    private readonly OrchestrationHost _host;

    private FlowHost(OrchestrationHost host, FlowTestActivities activities)
    {
        _host = host;
        Activities = activities;
    }

    public FlowTestActivities Activities { get; }

    public DurableRuntime Runtime => _host.Runtime;

    public WorkflowClient Client => Runtime.Client;

    public static async Task<FlowHost> StartAsync()
    {
        var activities = new FlowTestActivities();
        var host = await OrchestrationHost.StartAsync((options, _) =>
        {
            options.AddWorkflow<FlowWorkflow>();
            options.AddActivities(activities);
        });
        return new FlowHost(host, activities);
    }

    public async Task<string> StartFlowAsync(FlowDocument flow, FlowSite? site = null, object? inputs = null)
    {
        var id = $"flow-{flow.Id}-{Guid.NewGuid():N}"[..40];
        var input = new FlowRunInput(flow.Id, 1, flow, inputs is null ? null : JsonSerializer.SerializeToElement(inputs), site);
        await Client.StartWorkflowAsync(FlowWorkflow.TypeName, input, new WorkflowStartOptions { Id = id });
        return id;
    }

    public async Task<WorkflowExecutionDescription> WaitClosedAsync(string id)
    {
        WorkflowExecutionDescription? d = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((d = await Client.DescribeAsync(id)).Status == WorkflowExecutionStatus.Running)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"flow run {id} did not close");
            }

            await Task.Delay(10);
        }

        return d;
    }

    public async Task<Dictionary<string, FlowNodeState>> NodesAsync(string id) =>
        (await Client.QueryAsync<List<FlowNodeState>>(id, "nodes")).ToDictionary(n => n.NodeId);

    public async Task WaitNodeAsync(string id, string node, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await NodesAsync(id)).GetValueOrDefault(node)?.State != state)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"node {node} of {id} did not become {state}");
            }

            await Task.Delay(10);
        }
    }

    public Task CrashAsync() => _host.CrashAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
