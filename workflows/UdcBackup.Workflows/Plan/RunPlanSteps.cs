using System.Reflection;
using System.Text.Json;
using UdcBackup.Activities.Catalog;
using UdcBackup.Activities.Firewall;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Activities;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Restore;

namespace UdcBackup.Workflows.Plan;

/// <summary>
/// The steps a <c>backup.job</c> or <c>restore</c> run takes, in order, known from its input as
/// started, so the live graph shows what is still to come. The input is what
/// <see cref="UdcBackup.Site.Planning.JobPlanner"/>'s plan became (windows, the systems in job
/// order, their scripts, the data sets streamed before and after post-backup) and what the
/// workflow follows; the planner itself needs the site, which the input does not hold, and a run
/// started with a written input has no site plan at all. So each step here is one activity call
/// of the workflow for a part of that input, in the workflow's order:
/// backup: open the windows; per system: choose the level, pre-backup, stream, post-backup, stream
/// what post-backup wrote, record the snapshot, retention (each only when the input has it);
/// close the windows. Restore: find the snapshot, check the target, open the windows,
/// stop-programs, stream, start-programs, close the windows. Node ids read as the step:
/// <c>open-windows</c>, <c>{system}/pre-backup</c> ... A workflow that takes another way (a failed
/// system's later steps, a cancel) is matched against this list by the controller's live graph.
/// Kept beside the workflows it follows, so a change of their order is made here too.
/// Other workflow types, and an input that does not read, have no plan (null).
/// </summary>
public static class RunPlanSteps
{
    // The runtime stores inputs with the web defaults (camelCase); reading them needs nothing more.
    private static readonly JsonSerializerOptions InputOptions = new(JsonSerializerDefaults.Web);

    private static readonly string OpenWindows = ActivityName<FirewallActivities>(nameof(FirewallActivities.OpenWindowsAsync));
    private static readonly string CloseWindows = ActivityName<FirewallActivities>(nameof(FirewallActivities.CloseJobWindowsAsync));
    private static readonly string ChooseLevel = ActivityName<CatalogActivities>(nameof(CatalogActivities.ChooseLevelAsync));
    private static readonly string RecordSnapshot = ActivityName<CatalogActivities>(nameof(CatalogActivities.RecordSnapshotAsync));
    private static readonly string ApplyRetention = ActivityName<CatalogActivities>(nameof(CatalogActivities.ApplyRetentionAsync));
    private static readonly string FindSnapshot = ActivityName<CatalogActivities>(nameof(CatalogActivities.FindSnapshotAsync));
    private static readonly string RunScript = ActivityName<SystemActivities>(nameof(SystemActivities.RunScriptAsync));
    private static readonly string StopPrograms = ActivityName<SystemActivities>(nameof(SystemActivities.StopProgramsAsync));
    private static readonly string StartPrograms = ActivityName<SystemActivities>(nameof(SystemActivities.StartProgramsAsync));
    private static readonly string StreamBackup = ActivityName<SystemActivities>(nameof(SystemActivities.StreamBackupAsync));
    private static readonly string StreamRestore = ActivityName<SystemActivities>(nameof(SystemActivities.StreamRestoreAsync));
    private static readonly string CheckTarget = ActivityName<SystemActivities>(nameof(SystemActivities.CheckRestoreTargetAsync));

    /// <summary>The planned steps of a run of <paramref name="workflowType"/> with <paramref name="input"/>; null for other types or an input that does not read.</summary>
    public static IReadOnlyList<RunPlanStep>? Of(string workflowType, JsonElement? input)
    {
        if (input is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        try
        {
            return workflowType switch
            {
                BackupJobWorkflow.TypeName => Backup(value.Deserialize<BackupJobInput>(InputOptions)),
                RestoreWorkflow.TypeName => Restore(value.Deserialize<RestoreInput>(InputOptions)),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<RunPlanStep>? Backup(BackupJobInput? input)
    {
        if (input?.Systems is not { } systems)
        {
            return null;
        }

        var steps = new Steps();
        steps.Add("open-windows", OpenWindows, null);
        foreach (var system in systems.Where(s => s is not null))
        {
            var id = system.SystemId;
            steps.Add($"{id}/choose-level", ChooseLevel, id);
            steps.AddIf(system.PreBackup is not null, $"{id}/pre-backup", RunScript, id);
            steps.AddIf(system.DataSets is { Count: > 0 }, $"{id}/stream", StreamBackup, id);
            steps.AddIf(system.PostBackup is not null, $"{id}/post-backup", RunScript, id);
            steps.AddIf(system.AfterPostBackup is { Count: > 0 }, $"{id}/stream-after-post-backup", StreamBackup, id);
            steps.Add($"{id}/record-snapshot", RecordSnapshot, id);
            steps.AddIf(input.Retention is not null, $"{id}/retention", ApplyRetention, id);
        }

        steps.Add("close-windows", CloseWindows, null);
        return steps.List;
    }

    private static List<RunPlanStep>? Restore(RestoreInput? input)
    {
        if (input?.TargetSystemId is not { } target)
        {
            return null;
        }

        var steps = new Steps();
        steps.Add("find-snapshot", FindSnapshot, null);
        steps.Add($"{target}/check-target", CheckTarget, target);
        steps.Add("open-windows", OpenWindows, null);
        steps.AddIf(input.StopPrograms is not null, $"{target}/stop-programs", StopPrograms, target);
        steps.Add($"{target}/stream", StreamRestore, target);
        steps.AddIf(input.StartPrograms is not null, $"{target}/start-programs", StartPrograms, target);
        steps.Add("close-windows", CloseWindows, null);
        return steps.List;
    }

    // The name the runtime records for the activity method, so a renamed activity cannot leave the plan behind.
    private static string ActivityName<T>(string method) =>
        typeof(T).GetMethod(method)?.GetCustomAttribute<ActivityAttribute>()?.Name
        ?? throw new InvalidOperationException($"{typeof(T).Name}.{method} is not a named activity");

    private sealed class Steps
    {
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

        public List<RunPlanStep> List { get; } = [];

        public void AddIf(bool planned, string nodeId, string activityType, string? systemId)
        {
            if (planned)
            {
                Add(nodeId, activityType, systemId);
            }
        }

        // A system named twice in a written input still gets one node per step.
        public void Add(string nodeId, string activityType, string? systemId)
        {
            var id = nodeId;
            for (var n = 2; !_ids.Add(id); n++)
            {
                id = $"{nodeId}-{n}";
            }

            List.Add(new RunPlanStep(id, activityType, systemId));
        }
    }
}
