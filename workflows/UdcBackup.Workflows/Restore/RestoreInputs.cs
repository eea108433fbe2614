using UdcBackup.Site.Model;
using UdcBackup.Site.Planning;
using UdcBackup.Workflows.Backup;

namespace UdcBackup.Workflows.Restore;

/// <summary>Builds the input of <see cref="RestoreWorkflow"/> from a site version (no I/O).</summary>
public static class RestoreInputs
{
    /// <summary>The workflow id of a run: <c>restore-{target}-{yyyyMMddTHHmmssfffZ}</c> (see <see cref="SiteInputs.RunId"/>).</summary>
    public static string RunId(string targetSystemId, DateTimeOffset at) => SiteInputs.RunId("restore", targetSystemId, at);

    /// <summary>
    /// The input of a restore of <paramref name="snapshotId"/> as planned for <paramref name="request"/>;
    /// <paramref name="into"/> a folder on the target, null for the original paths. A restore into
    /// a folder leaves the originals alone, so it has no stop/start-programs scripts: the target's
    /// programs (a database, a suspended application) keep running while a copy lands beside them.
    /// <paramref name="paths"/>, null for every data set, narrows the data sets to the selected paths
    /// inside them (<see cref="RestorePaths.Narrow"/>); a path inside none of them is an <see cref="ArgumentException"/>.
    /// </summary>
    public static RestoreInput FromSite(
        SiteDefinition site, RestoreRequest request, string snapshotId, string runId, string? requestedBy, string? approvedBy, string? into = null, IReadOnlyList<string>? paths = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(request);
        SiteInputs.ValidateRunId(runId);
        if (into is not null && !RestoreInput.IsFolder(into))
        {
            throw new ArgumentException($"into '{into}' {RestoreInput.IntoRule}.");
        }

        var plan = JobPlanner.PlanRestore(site, request);
        var source = site.FindSystem(plan.SourceSystemId!)!;
        var target = site.FindSystem(plan.TargetSystemId!)!;
        var agent = site.FindMediaAgent(plan.MediaAgentId)!;
        var firewalls = SiteInputs.Firewalls(site, plan);
        var scripts = plan.Steps.Where(s => s.Kind == PlanStepKind.RunScript).ToList();
        var stop = into is null ? scripts.FirstOrDefault(s => s.Role is ScriptRole.StopPrograms)?.Script : null;
        var start = into is null ? scripts.FirstOrDefault(s => s.Role is ScriptRole.StartPrograms)?.Script : null;
        var dataSets = source.DataSets.Select(SiteInputs.DataSet).ToList();
        return new RestoreInput(
            runId,
            snapshotId,
            source.Id,
            target.Id,
            target.AgentEndpoint,
            agent.Id,
            agent.Endpoint,
            plan.Repository,
            firewalls,
            SiteInputs.Windows(firewalls, plan),
            SiteInputs.Script(stop),
            SiteInputs.Script(start),
            paths is null ? dataSets : RestorePaths.Narrow(dataSets, paths, source.Id),
            requestedBy,
            approvedBy,
            into,
            paths?.Distinct(StringComparer.Ordinal).ToList());
    }
}
