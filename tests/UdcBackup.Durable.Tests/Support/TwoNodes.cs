using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests.Support;

/// <summary>
/// Two runtimes (nodes "node-a" and "node-b") on one SQLite file in a temp folder, each with its
/// own manual clock and activities, a 30 s lease and a 1 s inbox poll: moving one node's clock
/// drives its renewals, takeovers and inbox reads without touching the other's.
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan InboxPoll = TimeSpan.FromSeconds(1);

    private TwoNodes(string directory) => Directory = directory;

    public string Directory { get; }

    public ManualTimeProvider ClockA { get; } = new();

    public ManualTimeProvider ClockB { get; } = new();

    public TestActivities ActivitiesA { get; } = new();

    public TestActivities ActivitiesB { get; } = new();

    public TestHost A { get; private set; } = null!;

    public TestHost B { get; private set; } = null!;

    public static async Task<TwoNodes> StartAsync()
    {
        var nodes = new TwoNodes(Path.Combine(Path.GetTempPath(), "udc-durable-tests", Guid.NewGuid().ToString("N")));
        nodes.A = await TestHost.StartAsync(o => Register(o, "node-a", nodes.ActivitiesA), nodes.ClockA, nodes.Directory);
        nodes.B = await TestHost.StartAsync(o => Register(o, "node-b", nodes.ActivitiesB), nodes.ClockB, nodes.Directory);
        return nodes;
    }

    /// <summary>Writes a running run owned by <paramref name="owner"/> at epoch 1 straight into a store (for store-level tests).</summary>
    public static async Task StartRunAsync(IWorkflowStore store, string workflowId, string runId, string owner, DateTime now)
    {
        var start = new StoreWriteSet();
        start.NewExecutions.Add(new ExecutionRecord(workflowId, runId, "t", WorkflowExecutionStatus.Running, now, null, null, null, null, null, null, null, owner, now + Lease) { LeaseEpoch = 1 });
        start.Events.Add(new StoredEvent(runId, new HistoryEvent { EventId = 1, EventType = HistoryEventType.WorkflowExecutionStarted, Timestamp = now, WorkflowType = "t" }));
        await store.CommitAsync([start]);
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static void Register(DurableRuntimeOptions options, string owner, TestActivities activities)
    {
        options.OwnerId = owner;
        options.LeaseDuration = Lease;
        options.InboxPollInterval = InboxPoll;
        options.AddWorkflow<StepsWorkflow>().AddWorkflow<SignalWorkflow>().AddWorkflow<CancelParentWorkflow>().AddWorkflow<ActivityPolicyWorkflow>().AddActivities(activities);
    }
}
