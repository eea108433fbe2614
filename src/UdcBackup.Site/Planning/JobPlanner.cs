using UdcBackup.Site.Model;
using UdcBackup.Site.Topology;

namespace UdcBackup.Site.Planning;

/// <summary>
/// Produces plans from a valid site; a pure function of its inputs.
/// Backup: open every window the job needs (each system's route to the media agent, nearest
/// firewall first), then per system in the job's order: pre-backup, stream the data sets,
/// post-backup (cleanup of pre-backup), then stream the data sets marked <c>afterPostBackup</c>
/// (what post-backup produced) into the same snapshot; finally close the windows in reverse order.
/// Restore: open the target's windows, stop programs, stream the snapshot back, start programs
/// (cleanup of stop), close. A system with application-suspend and no stop/start scripts is
/// suspended and resumed with its pre/post-backup scripts instead.
/// Throws <see cref="ArgumentException"/> for unknown ids and <see cref="InvalidOperationException"/>
/// when the site does not allow the plan (no route); a validated site never does that.
/// </summary>
public static class JobPlanner
{
    public static JobPlan PlanBackup(SiteDefinition site, string jobId)
    {
        ArgumentNullException.ThrowIfNull(site);
        var job = site.FindJob(jobId) ?? throw new ArgumentException($"the site has no job '{jobId}'.", nameof(jobId));
        var agent = site.FindMediaAgent(job.MediaAgent) ?? throw new InvalidOperationException($"job '{job.Id}' names unknown media agent '{job.MediaAgent}'.");
        var systems = job.Systems.Select(id => site.FindSystem(id) ?? throw new InvalidOperationException($"job '{job.Id}' names unknown system '{id}'.")).ToList();

        var steps = new List<PlanStep>();
        var opened = OpenWindows(site, agent, systems, steps);
        foreach (var system in systems)
        {
            var pre = AddScript(steps, system, ScriptRole.PreBackup, system.Scripts.PreBackup, null);
            var during = system.DataSets.Where(d => !d.AfterPostBackup).Select(d => d.Name).ToList();
            if (during.Count > 0)
            {
                steps.Add(new PlanStep(steps.Count, PlanStepKind.StreamBackup, $"stream {Names(during)} of {system.Id} to {agent.Id}/{job.Repository}", system.Id, DataSets: during));
            }

            AddScript(steps, system, ScriptRole.PostBackup, system.Scripts.PostBackup, pre);
            var after = system.DataSets.Where(d => d.AfterPostBackup).Select(d => d.Name).ToList();
            if (after.Count > 0)
            {
                steps.Add(new PlanStep(steps.Count, PlanStepKind.StreamBackup, $"stream {Names(after)} of {system.Id} (written by post-backup) into the same snapshot", system.Id, DataSets: after));
            }
        }

        CloseWindows(steps, opened);
        return new JobPlan(PlanKind.Backup, job.Id, agent.Id, job.Repository, null, null, false, job.ContinueOnSystemFailure, steps);
    }

    public static JobPlan PlanRestore(SiteDefinition site, RestoreRequest request)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(request);
        var source = site.FindSystem(request.SourceSystemId) ?? throw new ArgumentException($"the site has no system '{request.SourceSystemId}'.", nameof(request));
        var target = request.TargetSystemId is null ? source
            : site.FindSystem(request.TargetSystemId) ?? throw new ArgumentException($"the site has no system '{request.TargetSystemId}'.", nameof(request));
        var (agent, repository) = Holder(site, source, request);

        var steps = new List<PlanStep>();
        var opened = OpenWindows(site, agent, [target], steps);
        var stop = target.Scripts.StopPrograms;
        var start = target.Scripts.StartPrograms;
        if (stop is null && start is null && target.ApplicationKind == ApplicationKind.ApplicationSuspend)
        {
            (stop, start) = (target.Scripts.PreBackup, target.Scripts.PostBackup);
        }

        var stopped = AddScript(steps, target, ScriptRole.StopPrograms, stop, null);
        var sets = source.DataSets.Select(d => d.Name).ToList();
        var from = source.Id == target.Id ? string.Empty : $" (snapshot of {source.Id})";
        steps.Add(new PlanStep(steps.Count, PlanStepKind.StreamRestore, $"stream {Names(sets)} from {agent.Id}/{repository} to {target.Id}{from}", target.Id, DataSets: sets));
        AddScript(steps, target, ScriptRole.StartPrograms, start, stopped);
        CloseWindows(steps, opened);
        return new JobPlan(PlanKind.Restore, null, agent.Id, repository, source.Id, target.Id, source.Id != target.Id, false, steps);
    }

    private static (MediaAgent Agent, string Repository) Holder(SiteDefinition site, ProtectedSystem source, RestoreRequest request)
    {
        var candidates = site.Jobs
            .Where(j => j.Systems.Contains(source.Id))
            .Where(j => request.MediaAgentId is null || j.MediaAgent == request.MediaAgentId)
            .Where(j => request.Repository is null || j.Repository == request.Repository)
            .Select(j => (j.MediaAgent, j.Repository))
            .Distinct()
            .ToList();
        if (candidates.Count == 0 && request.MediaAgentId is not null && request.Repository is not null)
        {
            candidates.Add((request.MediaAgentId, request.Repository));
        }

        if (candidates.Count != 1)
        {
            throw new ArgumentException(candidates.Count == 0
                ? $"no job backs up '{source.Id}' to a repository matching the request; name the media agent and repository."
                : $"'{source.Id}' is backed up to several repositories ({string.Join(", ", candidates.Select(c => c.MediaAgent + "/" + c.Repository))}); name the media agent and repository.", nameof(request));
        }

        var agent = site.FindMediaAgent(candidates[0].MediaAgent) ?? throw new ArgumentException($"the site has no media agent '{candidates[0].MediaAgent}'.", nameof(request));
        return (agent, candidates[0].Repository);
    }

    private static List<PlanStep> OpenWindows(SiteDefinition site, MediaAgent agent, IReadOnlyList<ProtectedSystem> systems, List<PlanStep> steps)
    {
        var opened = new List<PlanStep>();
        var seen = new HashSet<(string, string)>();
        foreach (var system in systems)
        {
            var route = FirewallRoute.Find(site, agent.Zone, system.Zone)
                ?? throw new InvalidOperationException($"system '{system.Id}' in zone '{system.Zone}' has no firewall route to media agent '{agent.Id}' in zone '{agent.Zone}'.");
            foreach (var firewall in route)
            {
                if (!seen.Add((firewall.Name, system.Address)))
                {
                    continue;
                }

                var window = new FirewallWindowSpec(firewall.Name, system.Id, system.Address, agent.Address, firewall.DesignatedPort);
                var step = new PlanStep(steps.Count, PlanStepKind.OpenWindow, $"open port {firewall.DesignatedPort} on {firewall.Name} from {system.Id} ({system.Address}) to {agent.Id} ({agent.Address})", system.Id, window);
                steps.Add(step);
                opened.Add(step);
            }
        }

        return opened;
    }

    private static void CloseWindows(List<PlanStep> steps, List<PlanStep> opened)
    {
        for (var i = opened.Count - 1; i >= 0; i--)
        {
            var window = opened[i].Window!;
            steps.Add(new PlanStep(steps.Count, PlanStepKind.CloseWindow, $"close port {window.Port} on {window.Firewall} for {window.SystemId}", window.SystemId, window, CleanupOf: opened[i].Index));
        }
    }

    private static int? AddScript(List<PlanStep> steps, ProtectedSystem system, ScriptRole role, ScriptCall? script, int? cleanupOf)
    {
        if (script is null)
        {
            return null;
        }

        var index = steps.Count;
        steps.Add(new PlanStep(index, PlanStepKind.RunScript, $"run {Describe(role)} script '{script}' on {system.Id}", system.Id, Role: role, Script: script, CleanupOf: cleanupOf));
        return index;
    }

    private static string Describe(ScriptRole role) => role switch
    {
        ScriptRole.PreBackup => "pre-backup",
        ScriptRole.PostBackup => "post-backup",
        ScriptRole.StopPrograms => "stop-programs",
        _ => "start-programs",
    };

    private static string Names(List<string> sets) => sets.Count == 1 ? $"data set {sets[0]}" : $"data sets {string.Join(", ", sets)}";
}
