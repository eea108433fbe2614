using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;
using UdcBackup.ScriptContract;
using UdcBackup.Server.Configuration;
using UdcBackup.Server.Site;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Flows;

/// <summary>
/// The input of a flow run, built from the controller's stores: the stored version's definition,
/// the site as applied now (<see cref="FlowSiteSnapshot"/>) and the activities' declared defaults.
/// <c>run</c> builds it at the request; a scheduled run builds it at each fire through activity
/// <see cref="FlowWorkflow.PrepareActivity"/> (version 0 = the newest published version then), so
/// a schedule follows later site applies and, unless pinned, later publishes. A flow or version
/// that does not exist, or whose script environment the current rule refuses (the setting was
/// narrowed after the publish), fails with <see cref="FlowWorkflow.NotRunnableErrorType"/> (not retried);
/// a store that cannot be read fails the attempt and the workflow's retry policy tries again.
/// </summary>
public sealed class FlowRunActivities
{
    private readonly FlowStore _flows;
    private readonly SiteVersionStore _sites;
    private readonly ScriptEnvironmentRule _environment;

    public FlowRunActivities(FlowStore flows, SiteVersionStore sites, ScriptEnvironmentRule environment)
    {
        ArgumentNullException.ThrowIfNull(flows);
        ArgumentNullException.ThrowIfNull(sites);
        ArgumentNullException.ThrowIfNull(environment);
        _flows = flows;
        _sites = sites;
        _environment = environment;
    }

    /// <summary>The activities on the data directory's stores (<c>flows.db</c>, <c>site.db</c>), for the runtime's registration.</summary>
    public static FlowRunActivities Create(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new FlowRunActivities(new FlowStore(Path.Combine(settings.DataDirectory, FlowStore.FileName)), new SiteVersionStore(Path.Combine(settings.DataDirectory, "site.db")), settings.ScriptEnvironmentRule());
    }

    /// <summary>The run input of a stored version with the site as applied now.</summary>
    public static async Task<FlowRunInput> InputAsync(SiteVersionStore sites, StoredFlowVersion version, System.Text.Json.JsonElement? inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var (site, _) = await FlowSiteSnapshot.LoadAsync(sites, cancellationToken);
        var definition = FlowRunEndpoints.Read(version);
        return new FlowRunInput(version.FlowId, version.Version, definition, inputs, site, FlowCatalog.DefaultsFor(definition));
    }

    [Activity(FlowWorkflow.PrepareActivity)]
    public async Task<FlowRunInput> PrepareAsync(FlowPrepareInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var token = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;
        var flow = await _flows.GetAsync(input.FlowId, token)
            ?? throw new ApplicationFailureException($"flow {input.FlowId} does not exist (deleted after it was scheduled?)", FlowWorkflow.NotRunnableErrorType, nonRetryable: true);
        var number = input.Version > 0 ? input.Version : flow.PublishedVersion;
        var version = number == 0 ? null : await _flows.VersionAsync(input.FlowId, number, token);
        if (version is null)
        {
            throw new ApplicationFailureException($"flow {input.FlowId} has no published version {(number == 0 ? string.Empty : number)}".TrimEnd(), FlowWorkflow.NotRunnableErrorType, nonRetryable: true);
        }

        // Published under a wider ScriptEnvironmentPrefixes: fail before the first node, not at the agent.
        if (FlowEnvironmentCheck.Problems(version.Definition, _environment) is { Count: > 0 } refused)
        {
            throw new ApplicationFailureException(FlowEnvironmentCheck.Describe($"Scheduled flow {version.FlowId} version {version.Version} was not started", refused, _environment), FlowWorkflow.NotRunnableErrorType, nonRetryable: true);
        }

        return await InputAsync(_sites, version, input.Inputs, token);
    }
}
