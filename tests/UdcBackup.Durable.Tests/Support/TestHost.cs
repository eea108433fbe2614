using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Tests.Support;

/// <summary>
/// A runtime on a real SQLite file in a temp folder. <see cref="RestartAsync"/> disposes the
/// runtime and opens a new one on the same file (what a process restart does to the store);
/// <see cref="CrashAsync"/> first cuts the store off so nothing more is written, like a kill.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly Action<DurableRuntimeOptions> register;
    private readonly bool ownsDirectory;
    private CuttableStore? store;

    private TestHost(string directory, Action<DurableRuntimeOptions> register, ManualTimeProvider? time, bool ownsDirectory)
    {
        Directory = directory;
        this.register = register;
        Time = time;
        this.ownsDirectory = ownsDirectory;
    }

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "workflows.db");

    public ManualTimeProvider? Time { get; }

    public DurableRuntime Runtime { get; private set; } = null!;

    public WorkflowClient Client => Runtime.Client;

    public CuttableStore Store => store!;

    public static async Task<TestHost> StartAsync(Action<DurableRuntimeOptions> register, ManualTimeProvider? time = null, string? directory = null)
    {
        var owns = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "udc-durable-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var host = new TestHost(directory, register, time, owns);
        await host.OpenAsync();
        return host;
    }

    public async Task RestartAsync()
    {
        await CloseAsync();
        await OpenAsync();
    }

    /// <summary>Stops the runtime (a planned downtime); <see cref="StartRuntimeAsync"/> brings it back on the same file.</summary>
    public Task StopRuntimeAsync() => CloseAsync();

    public Task StartRuntimeAsync() => OpenAsync();

    /// <summary>Simulates a crash: from now on every write fails; then the runtime is thrown away and a new one opened.</summary>
    public async Task CrashAsync()
    {
        store!.Cut();
        await CloseAsync();
        await OpenAsync();
    }

    public async Task<IReadOnlyList<HistoryEvent>> HistoryAsync(string workflowId) =>
        (await Client.DescribeAsync(workflowId)).History;

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        if (ownsDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: temp folder.
            }
        }
    }

    private async Task OpenAsync()
    {
        store = new CuttableStore(new SqliteWorkflowStore(new SqliteWorkflowStoreOptions { Path = DatabasePath, Synchronous = SqliteSynchronousMode.Normal }));
        var options = new DurableRuntimeOptions(store) { OwnerId = "test-node", ShutdownGracePeriod = TimeSpan.FromSeconds(5) };
        if (Time is not null)
        {
            options.TimeProvider = Time;

            // Skipping months on the manual clock would otherwise fire the renewal every 10 s of it
            // and the inbox poll every second (tests of either set their own periods).
            options.LeaseDuration = TimeSpan.FromDays(1);
            options.InboxPollInterval = TimeSpan.FromDays(1);
        }

        register(options);
        Runtime = new DurableRuntime(options);
        await Runtime.StartAsync();
    }

    private async Task CloseAsync()
    {
        if (store is null)
        {
            return;
        }

        await Runtime.DisposeAsync();
        await store.DisposeAsync();
        store = null;
    }
}
