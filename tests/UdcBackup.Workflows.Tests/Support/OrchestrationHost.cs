using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Storage;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Restore;

namespace UdcBackup.Workflows.Tests.Support;

/// <summary>
/// The durable runtime on a SQLite file in a temp folder with the real backup/restore workflows
/// and activities: real nftables firewall activities, a real SQLite snapshot catalog, and the
/// recording agents. <see cref="CrashAsync"/> cuts the store off (nothing more is written, like
/// a kill) and opens a new runtime on the same file, which recovers by replaying.
/// </summary>
public sealed class OrchestrationHost : IAsyncDisposable
{
    private readonly string _directory;
    private CrashableStore? _store;

    private OrchestrationHost(string directory, RecordingAgents agents)
    {
        _directory = directory;
        Agents = agents;
        Catalog = new SqliteSnapshotCatalog(Path.Combine(directory, "catalog.db"));
    }

    public RecordingAgents Agents { get; }

    public SqliteSnapshotCatalog Catalog { get; }

    public DurableRuntime Runtime { get; private set; } = null!;

    public WorkflowClient Client => Runtime.Client;

    public static async Task<OrchestrationHost> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "udc-workflow-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var host = new OrchestrationHost(directory, new RecordingAgents());
        await host.OpenAsync();
        return host;
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
        var options = new DurableRuntimeOptions(_store) { OwnerId = "test-controller", ShutdownGracePeriod = TimeSpan.FromSeconds(2) };
        options.AddWorkflow<BackupJobWorkflow>();
        options.AddWorkflow<RestoreWorkflow>();
        options.AddActivities(new FirewallActivities(new NftablesFirewallProvider()));
        options.AddActivities(new SystemActivities(Agents));
        options.AddActivities(new CatalogActivities(Catalog, Agents));
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
