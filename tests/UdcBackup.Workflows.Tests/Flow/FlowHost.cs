using System.Text.Json;
using UdcBackup.Durable;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Storage;
using UdcBackup.Workflows.Flow;
using UdcBackup.Workflows.Tests.Support;

namespace UdcBackup.Workflows.Tests.Flow;

/// <summary>The durable runtime on a SQLite file with the <c>flow</c> workflow and the test activities; <see cref="CrashAsync"/> cuts the store and reopens it.</summary>
public sealed class FlowHost : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "udc-flow-tests", Guid.NewGuid().ToString("N"));
    private CrashableStore? _store;

    public FlowTestActivities Activities { get; } = new();

    public DurableRuntime Runtime { get; private set; } = null!;

    public WorkflowClient Client => Runtime.Client;

    public static async Task<FlowHost> StartAsync()
    {
        var host = new FlowHost();
        Directory.CreateDirectory(host._directory);
        await host.OpenAsync();
        return host;
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

    public async Task CrashAsync()
    {
        _store!.Cut();
        await CloseAsync();
        await OpenAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    private async Task OpenAsync()
    {
        _store = new CrashableStore(new SqliteWorkflowStore(new SqliteWorkflowStoreOptions { Path = Path.Combine(_directory, "workflows.db") }));
        var options = new DurableRuntimeOptions(_store) { OwnerId = "flow-tests", ShutdownGracePeriod = TimeSpan.FromSeconds(2) };
        options.AddWorkflow<FlowWorkflow>();
        options.AddActivities(Activities);
        Runtime = new DurableRuntime(options);
        await Runtime.StartAsync();
    }

    private async Task CloseAsync()
    {
        if (_store is null)
        {
            return;
        }

        await Runtime.DisposeAsync();
        await _store.DisposeAsync();
        _store = null;
    }
}
