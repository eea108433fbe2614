using UdcBackup.Durable.Storage;
using UdcBackup.Server.Configuration;
using UdcBackup.Server.Flows;
using UdcBackup.Server.Runtime;

namespace UdcBackup.Server.Site;

/// <summary>
/// At controller start, before the durable runtime starts (<see cref="IRuntimeStartupStep"/>),
/// checks what was saved under earlier settings against the script environment rule of the
/// current <c>ScriptEnvironmentPrefixes</c> (<see cref="ScriptEnvironmentReview"/>): the active
/// site version, every flow's published version and its draft. Each refused variable is logged
/// once as a warning naming the site or flow, the system or node, the script, the variable and the
/// setting (drafts, which may hold any problem until published, at information level), and so is
/// each one a run in progress carries from its start (<see cref="RunningRunScriptCheck"/>). Then the
/// job schedules in the store are pointed at <see cref="RefusedJobWorkflow"/> for jobs that would
/// pass a refused variable, and back at <c>backup.job</c> for jobs that no longer would
/// (<see cref="SiteSchedules.ReconcileStoredAsync"/>), so that the runtime's catch-up of fire times missed while
/// the controller was down already starts the right one. A store that cannot be read is logged as
/// an error and does not stop the controller: run starts check again, and <c>/healthz</c> reports
/// the stored problems (or that they could not be read) for as long as they last.
/// </summary>
public sealed class ScriptEnvironmentStartupCheck : IRuntimeStartupStep
{
    private readonly ServerSettings _settings;
    private readonly ScriptEnvironmentReview _review;
    private readonly Serilog.ILogger _logger;

    public ScriptEnvironmentStartupCheck(ServerSettings settings, ScriptEnvironmentReview review, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(logger);
        _settings = settings;
        _review = review;
        _logger = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, typeof(ScriptEnvironmentStartupCheck).FullName);
    }

    public async Task RunBeforeRuntimeStartAsync(IWorkflowStore store, CancellationToken cancellationToken)
    {
        try
        {
            await CheckSiteAsync(store, cancellationToken);
            await CheckFlowsAsync(cancellationToken);
            await CheckRunningAsync(store, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.Error(ex, "Could not check the stored site and flows against {Setting:l}; runs are still checked when they start", ScriptEnvironmentRefusal.Setting);
        }
    }

    private async Task CheckSiteAsync(IWorkflowStore store, CancellationToken cancellationToken)
    {
        if (await _review.SiteAsync(cancellationToken) is not { } current)
        {
            return;
        }

        var rule = _settings.ScriptEnvironmentRule();
        foreach (var problem in current.Problems)
        {
            _logger.Warning("{Problem:l}. Fix: {Fix:l}", problem.Summary, ScriptEnvironmentRefusal.Fix(rule));
        }

        foreach (var changed in await SiteSchedules.ReconcileStoredAsync(store, current.Site, current.Version, rule, DateTime.UtcNow, cancellationToken))
        {
            _logger.Warning(
                "Schedule {Schedule:l} now starts {WorkflowType:l} for the current {Setting:l}: {Meaning:l}",
                changed.Id,
                changed.Action.WorkflowType,
                ScriptEnvironmentRefusal.Setting,
                changed.Action.WorkflowType == RefusedJobWorkflow.TypeName ? "each fire (a missed one caught up now too) is recorded as a failed run until the site or the setting is fixed" : "the site passes again");
        }
    }

    // Runs in progress resume with the scripts they started with: the operator hears of each
    // refused variable now, not when the disk agent refuses it in the middle of the run.
    private async Task CheckRunningAsync(IWorkflowStore store, CancellationToken cancellationToken)
    {
        foreach (var problem in await RunningRunScriptCheck.ReadAsync(store, _settings.ScriptEnvironmentRule(), cancellationToken))
        {
            _logger.Warning("{Problem:l}", problem.Summary);
        }
    }

    private async Task CheckFlowsAsync(CancellationToken cancellationToken)
    {
        var rule = _settings.ScriptEnvironmentRule();
        foreach (var problem in await _review.PublishedFlowsAsync(cancellationToken))
        {
            _logger.Warning("{Problem:l}. Fix: {Fix:l}", problem.Summary, ScriptEnvironmentRefusal.Fix(rule));
        }

        var flows = new FlowStore(Path.Combine(_settings.DataDirectory, FlowStore.FileName));
        foreach (var flow in await flows.ListAsync(cancellationToken))
        {
            foreach (var problem in FlowEnvironmentCheck.Problems(flow.Draft, rule))
            {
                _logger.Information("flow {Flow:l} draft revision {Revision}, node {Node:l}: {Problem:l} (it cannot be published so)", flow.Id, flow.DraftRevision, problem.NodeId, problem.Message);
            }
        }
    }
}
