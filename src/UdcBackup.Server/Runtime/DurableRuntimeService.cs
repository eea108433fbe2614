using Microsoft.Extensions.Hosting;
using Serilog.Events;
using UdcBackup.Durable;
using UdcBackup.Durable.Storage;
using UdcBackup.Server.Api.Runs;
using UdcBackup.Server.Configuration;

namespace UdcBackup.Server.Runtime;

/// <summary>
/// Hosts the durable runtime in the controller: opens the SQLite store under the data directory,
/// starts the runtime with the host (recovering every execution that was running when the last
/// process stopped or crashed) and stops it with the host, so pending work stays in the store.
/// Before the runtime starts, the registered <see cref="IRuntimeStartupStep"/>s run on the store,
/// so what they change (a schedule's action) is in place before recovery resumes a run or a
/// schedule's catch-up starts one. <see cref="IsReady"/> turns true only after recovery;
/// <c>/healthz</c> answers 503 until then.
/// </summary>
public sealed class DurableRuntimeService : IHostedService, IAsyncDisposable
{
    private readonly Serilog.ILogger _logger;
    private readonly SqliteWorkflowStore _store;
    private readonly IReadOnlyList<IRuntimeStartupStep> _startupSteps;
    private volatile bool _ready;

    public DurableRuntimeService(ServerSettings settings, Serilog.ILogger logger, IEnumerable<IRuntimeStartupStep> startupSteps)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(startupSteps);
        _logger = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "UdcBackup.Durable");
        _startupSteps = [.. startupSteps];
        _store = new SqliteWorkflowStore(new SqliteWorkflowStoreOptions { Path = settings.DatabasePath });
        var options = new DurableRuntimeOptions(_store)
        {
            OwnerId = NodeIdentity.LoadOrCreate(settings.DataDirectory),
            MaxConcurrentActivities = settings.Workers.ActivityConcurrency,
            ShutdownGracePeriod = TimeSpan.FromSeconds(settings.ShutdownTimeoutSeconds),
            Log = Log,
            SearchAttributes = RunSystems.Rules,
        };
        Runtime = new DurableRuntime(WorkflowCatalog.Register(options, settings));
    }

    /// <summary>The runtime; its clients serve the API.</summary>
    public DurableRuntime Runtime { get; }

    /// <summary>Whether recovery finished and the runtime accepts work.</summary>
    public bool IsReady => _ready;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken);
        foreach (var step in _startupSteps)
        {
            await step.RunBeforeRuntimeStartAsync(_store, cancellationToken);
        }

        _logger.Information("Durable runtime recovering executions");
        await Runtime.StartAsync(cancellationToken);
        _ready = true;
        _logger.Information("Durable runtime started with workflow types {Types}", string.Join(", ", Runtime.WorkflowTypes));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _ready = false;
        await Runtime.StopAsync();
        _logger.Information("Durable runtime stopped; pending work stays in the store");
    }

    public ValueTask DisposeAsync() => Runtime.DisposeAsync();

    private void Log(DurableLogLevel level, string message, Exception? exception)
    {
        var serilogLevel = level switch
        {
            DurableLogLevel.Debug => LogEventLevel.Debug,
            DurableLogLevel.Information => LogEventLevel.Information,
            DurableLogLevel.Warning => LogEventLevel.Warning,
            _ => LogEventLevel.Error,
        };
        _logger.Write(serilogLevel, exception, "{Message:l}", message);
    }
}
