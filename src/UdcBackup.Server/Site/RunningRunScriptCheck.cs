using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Storage;
using UdcBackup.ScriptContract;
using UdcBackup.Server.Flows;
using UdcBackup.Site.Validation;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Flow;
using UdcBackup.Workflows.Restore;

namespace UdcBackup.Server.Site;

/// <summary>
/// Checks the runs that are in progress against the script environment rule in force now. A
/// backup, restore or flow run carries the scripts and environments of the site or flow version
/// it started with, so a run that was already going when <c>ScriptEnvironmentPrefixes</c> was
/// narrowed (and the controller restarted) resumes with them: the start checks refuse new runs,
/// but this one's disk agent refuses the script only when the run reaches it, and the run then
/// puts everything back and fails. Fixing the site or flow does not change the run either. So
/// the start-up check logs each such variable, and <c>GET /api/health</c> lists it (source
/// <c>run</c>, <c>name</c> the run's workflow id) for as long as the run is running: the operator
/// can cancel it or widen the setting before it gets there. Reads each run's input as started
/// (<c>backup.job</c>: every system's pre/post-backup script; <c>restore</c>: the target's
/// stop/start-programs scripts; <c>flow</c>: the definition's script nodes). A flow run that
/// prepares its definition at start is left out (the prepare step checks it with the current
/// rule), and an input that does not read is skipped: the run fails on it by name anyway.
/// </summary>
public static class RunningRunScriptCheck
{
    /// <summary>The workflow types whose runs carry scripts to check.</summary>
    public static IReadOnlyList<string> CheckedTypes { get; } = [BackupJobWorkflow.TypeName, RestoreWorkflow.TypeName, FlowWorkflow.TypeName];

    // The runtime stores inputs with the web defaults (camelCase); reading them needs nothing more.
    private static readonly JsonSerializerOptions InputOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The refused variables of every running run, read through the runtime's client.</summary>
    public static Task<IReadOnlyList<StoredScriptProblem>> ReadAsync(WorkflowClient client, ScriptEnvironmentRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return ReadAsync(async filter => (await client.ListAsync(filter, cancellationToken)).Select(r => (r.WorkflowId, r.WorkflowType, r.Input)), rule);
    }

    /// <summary>The refused variables of every running run, read from the store before the runtime starts.</summary>
    public static Task<IReadOnlyList<StoredScriptProblem>> ReadAsync(IWorkflowStore store, ScriptEnvironmentRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return ReadAsync(async filter => (await store.ListExecutionsAsync(filter, cancellationToken)).Select(r => (r.WorkflowId, r.WorkflowType, r.Input)), rule);
    }

    /// <summary>The refused variables in the input of one run of <paramref name="workflowType"/>; empty for other types.</summary>
    public static IReadOnlyList<StoredScriptProblem> Problems(string workflowId, string workflowType, JsonElement? input, ScriptEnvironmentRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (input is not { ValueKind: JsonValueKind.Object } value)
        {
            return [];
        }

        try
        {
            return workflowType switch
            {
                BackupJobWorkflow.TypeName => OfBackup(workflowId, value.Deserialize<BackupJobInput>(InputOptions), rule),
                RestoreWorkflow.TypeName => OfRestore(workflowId, value.Deserialize<RestoreInput>(InputOptions), rule),
                FlowWorkflow.TypeName => OfFlow(workflowId, value, rule),
                _ => [],
            };
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static async Task<IReadOnlyList<StoredScriptProblem>> ReadAsync(
        Func<WorkflowListFilter, Task<IEnumerable<(string WorkflowId, string WorkflowType, JsonElement? Input)>>> listRunning, ScriptEnvironmentRule rule)
    {
        var problems = new List<StoredScriptProblem>();
        foreach (var type in CheckedTypes)
        {
            foreach (var (workflowId, workflowType, input) in await listRunning(new WorkflowListFilter(type, WorkflowExecutionStatus.Running, 1000)))
            {
                problems.AddRange(Problems(workflowId, workflowType, input, rule));
            }
        }

        return problems;
    }

    private static List<StoredScriptProblem> OfBackup(string runId, BackupJobInput? input, ScriptEnvironmentRule rule)
    {
        var problems = new List<StoredScriptProblem>();
        foreach (var system in input?.Systems ?? [])
        {
            Add(problems, runId, BackupJobWorkflow.TypeName, input!.SiteVersion, system.SystemId, "preBackup", system.PreBackup, rule);
            Add(problems, runId, BackupJobWorkflow.TypeName, input.SiteVersion, system.SystemId, "postBackup", system.PostBackup, rule);
        }

        return problems;
    }

    private static List<StoredScriptProblem> OfRestore(string runId, RestoreInput? input, ScriptEnvironmentRule rule)
    {
        var problems = new List<StoredScriptProblem>();
        if (input is not null)
        {
            // A restore's input does not record its site version: 0.
            Add(problems, runId, RestoreWorkflow.TypeName, 0, input.TargetSystemId, "stopPrograms", input.StopPrograms, rule);
            Add(problems, runId, RestoreWorkflow.TypeName, 0, input.TargetSystemId, "startPrograms", input.StartPrograms, rule);
        }

        return problems;
    }

    private static List<StoredScriptProblem> OfFlow(string runId, JsonElement input, ScriptEnvironmentRule rule)
    {
        var run = input.Deserialize<FlowRunInput>(InputOptions);
        if (run is null || run.PrepareAtStart || !input.TryGetProperty("definition", out var definition) || definition.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return FlowEnvironmentCheck.Problems(definition.GetRawText(), rule)
            .Select(p => new StoredScriptProblem(
                StoredScriptProblem.RunSource,
                runId,
                run.Version,
                null,
                p.NodeId,
                null,
                null,
                null,
                p.Message,
                ScriptEnvironmentRefusal.Setting,
                $"run {runId} ({FlowWorkflow.TypeName} {run.FlowId} version {run.Version}, in progress), {FlowEnvironmentCheck.Line(p)}; {Consequence(runId)}"))
            .ToList();
    }

    private static void Add(List<StoredScriptProblem> problems, string runId, string workflowType, int siteVersion, string systemId, string script, ScriptSpec? call, ScriptEnvironmentRule rule)
    {
        if (call is null)
        {
            return;
        }

        foreach (var (variable, message) in SiteNames.EnvironmentRefusals(rule, call.Environment))
        {
            var problem = new ScriptEnvironmentProblem(systemId, script, call.Name, variable, message);
            var version = siteVersion > 0 ? $", site version {siteVersion}" : string.Empty;
            problems.Add(new StoredScriptProblem(
                StoredScriptProblem.RunSource,
                runId,
                siteVersion,
                systemId,
                null,
                script,
                call.Name,
                variable,
                message,
                ScriptEnvironmentRefusal.Setting,
                $"run {runId} ({workflowType}{version}, in progress), {problem}; {Consequence(runId)}"));
        }
    }

    private static string Consequence(string runId) =>
        $"the run carries it from its start, so its disk agent refuses the script when the run gets there and the run fails after putting everything back: cancel it (udc workflow cancel {runId}) or widen {ScriptEnvironmentRefusal.Setting}";
}
