using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Storage;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Restore;

namespace UdcBackup.Workflows.Tests.Support;

/// <summary>
/// The durable runtime on a SQLite file in a temp folder with the real backup/restore workflows
/// and activities: real nftables firewall activities, a real SQLite snapshot catalog, and the
/// recording agents. <see cref="CrashAsync"/> cuts the store off (nothing more is written, like
/// a kill) and opens a new runtime on the same file, which recovers by replaying. Other hosts
/// (the flow tests') pass their own registration and get the same store, crash and clean-up.
/// </summary>
public sealed class OrchestrationHost : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Action<DurableRuntimeOptions, OrchestrationHost> _register;
    private CuttableStore? _store;

    private OrchestrationHost(string directory, RecordingAgents agents, Action<DurableRuntimeOptions, OrchestrationHost> register)
    {
        _directory = directory;
        _register = register;
        Agents = agents;
        Catalog = new SqliteSnapshotCatalog(Path.Combine(directory, "catalog.db"));
    }

    public RecordingAgents Agents { get; }

    public SqliteSnapshotCatalog Catalog { get; }

    public DurableRuntime Runtime { get; private set; } = null!;

    public WorkflowClient Client => Runtime.Client;

    /// <summary>Starts a runtime with the backup and restore workflows, or with what <paramref name="register"/> adds instead.</summary>
    public static async Task<OrchestrationHost> StartAsync(Action<DurableRuntimeOptions, OrchestrationHost>? register = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "udc-workflow-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var host = new OrchestrationHost(directory, new RecordingAgents(), register ?? RegisterBackupAndRestore);
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
        _store = new CuttableStore(new SqliteWorkflowStore(new SqliteWorkflowStoreOptions { Path = Path.Combine(_directory, "workflows.db") }));
        var options = new DurableRuntimeOptions(_store) { OwnerId = "test-controller", ShutdownGracePeriod = TimeSpan.FromSeconds(2) };
        _register(options, this);
        Runtime = new DurableRuntime(options);
        await Runtime.StartAsync();
    }

    private static void RegisterBackupAndRestore(DurableRuntimeOptions options, OrchestrationHost host)
    {
        options.AddWorkflow<BackupJobWorkflow>();
        options.AddWorkflow<RestoreWorkflow>();
        options.AddActivities(new FirewallActivities(new NftablesFirewallProvider()));
        options.AddActivities(new SystemActivities(host.Agents, host.Agents));
        options.AddActivities(new CatalogActivities(host.Catalog, host.Agents));
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
