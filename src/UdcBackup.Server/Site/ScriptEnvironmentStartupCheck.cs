using Microsoft.Extensions.Hosting;
using UdcBackup.Server.Configuration;
using UdcBackup.Server.Flows;
using UdcBackup.Server.Runtime;
using UdcBackup.Site.Serialization;
using UdcBackup.Site.Validation;

namespace UdcBackup.Server.Site;

/// <summary>
/// At controller start, checks what was saved under earlier settings against the script
/// environment rule of the current <c>ScriptEnvironmentPrefixes</c>: the active site version
/// (every script of every system), every flow's published version and its draft. Each refused
/// variable is logged once as a warning naming the site or flow, the system or node, the script,
/// the variable and the setting (drafts, which may hold any problem until published, at
/// information level). Then the job schedules are pointed at <see cref="RefusedJobWorkflow"/>
/// for jobs that would pass a refused variable, and back at <c>backup.job</c> for jobs that no
/// longer would (<see cref="SiteSchedules.ReconcileAsync"/>). Registered after the durable
/// runtime's hosted service, so the runtime and its schedules are running. A store that cannot
/// be read is logged as an error and does not stop the controller: the run starts check again.
/// </summary>
public sealed class ScriptEnvironmentStartupCheck : IHostedService
{
    private readonly ServerSettings _settings;
    private readonly SiteVersionStore _sites;
    private readonly DurableRuntimeService _host;
    private readonly Serilog.ILogger _logger;

    public ScriptEnvironmentStartupCheck(ServerSettings settings, SiteVersionStore sites, DurableRuntimeService host, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        _settings = settings;
        _sites = sites;
        _host = host;
        _logger = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, typeof(ScriptEnvironmentStartupCheck).FullName);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CheckSiteAsync(cancellationToken);
            await CheckFlowsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.Error(ex, "Could not check the stored site and flows against {Setting:l}; runs are still checked when they start", ScriptEnvironmentRefusal.Setting);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CheckSiteAsync(CancellationToken cancellationToken)
    {
        if (await _sites.GetAsync(cancellationToken: cancellationToken) is not { } current)
        {
            return;
        }

        var rule = _settings.ScriptEnvironmentRule();
        var site = CanonicalSiteJson.Deserialize(current.Json);
        foreach (var problem in ScriptEnvironmentCheck.Site(site, rule))
        {
            _logger.Warning("Site {Site:l} version {Version}: {Problem:l}. Fix: {Fix:l}", site.Name, current.Version, problem.ToString(), ScriptEnvironmentRefusal.Fix(rule));
        }

        foreach (var changed in await SiteSchedules.ReconcileAsync(_host.Runtime.Schedules, site, current.Version, rule, cancellationToken))
        {
            _logger.Warning(
                "Schedule {Schedule:l} now starts {WorkflowType:l} for the current {Setting:l}: {Meaning:l}",
                changed.Id,
                changed.Action.WorkflowType,
                ScriptEnvironmentRefusal.Setting,
                changed.Action.WorkflowType == RefusedJobWorkflow.TypeName ? "each fire is recorded as a failed run until the site or the setting is fixed" : "the site passes again");
        }
    }

    private async Task CheckFlowsAsync(CancellationToken cancellationToken)
    {
        var rule = _settings.ScriptEnvironmentRule();
        var store = new FlowStore(Path.Combine(_settings.DataDirectory, FlowStore.FileName));
        foreach (var flow in await store.ListAsync(cancellationToken))
        {
            if (flow.PublishedVersion > 0 && await store.VersionAsync(flow.Id, flow.PublishedVersion, cancellationToken) is { } published)
            {
                foreach (var problem in FlowEnvironmentCheck.Problems(published.Definition, rule))
                {
                    _logger.Warning("flow {Flow:l} version {Version} (published), node {Node:l}: {Problem:l}. Fix: {Fix:l}", flow.Id, published.Version, problem.NodeId, problem.Message, ScriptEnvironmentRefusal.Fix(rule));
                }
            }

            foreach (var problem in FlowEnvironmentCheck.Problems(flow.Draft, rule))
            {
                _logger.Information("flow {Flow:l} draft revision {Revision}, node {Node:l}: {Problem:l} (it cannot be published so)", flow.Id, flow.DraftRevision, problem.NodeId, problem.Message);
            }
        }
    }
}
