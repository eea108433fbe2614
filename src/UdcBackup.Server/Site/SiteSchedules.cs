using System.Text.Json;
using UdcBackup.Durable.Schedules;
using UdcBackup.Durable.Storage;
using UdcBackup.ScriptContract;
using UdcBackup.Site.Model;
using UdcBackup.Site.Planning;
using UdcBackup.Site.Validation;
using UdcBackup.Workflows.Backup;

namespace UdcBackup.Server.Site;

/// <summary>
/// Keeps the runtime's schedules in step with the applied site: one schedule <c>job-{jobId}</c>
/// per backup job, whose action starts <c>backup.job</c> with the input planned from that site
/// version (run id empty: the scheduled workflow id <c>job-{job}-{fire time}</c> becomes the run
/// id). A job's schedule that exists is updated in place: its pause and note (an operator's
/// "paused for maintenance" survives any later apply), recent firings and running runs are kept,
/// only what it starts and when changes; schedules of jobs no longer in the site are deleted.
/// Overlapping fires are skipped (a run still going keeps the window), and so is a fire while another
/// run works on one of the job's systems (the action holds the systems' keys, <see cref="BusySystems"/>;
/// the skip names that run in the schedule's recent actions); a fire missed by more
/// than the job's window is dropped rather than run late. A job whose planned script calls the
/// current script environment rule refuses starts <see cref="RefusedJobWorkflow"/> instead, which
/// fails at once with the reason; <see cref="ReconcileStoredAsync"/> switches existing schedules either
/// way at controller start, before the runtime can fire them, keeping their state (pause, note,
/// recent actions, the instant fire times are handled until).
/// </summary>
public static class SiteSchedules
{
    public const string Prefix = "job-";

    public static async Task<IReadOnlyList<string>> ApplyAsync(ScheduleClient schedules, SiteDefinition site, int version, ScriptEnvironmentRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(site);
        var existing = (await schedules.ListAsync(cancellationToken)).Select(s => s.Definition.Id).Where(id => id.StartsWith(Prefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var set = new List<string>();
        foreach (var job in site.Jobs)
        {
            var definition = Definition(site, job, version, rule);
            if (existing.Remove(definition.Id))
            {
                await schedules.UpdateAsync(definition, cancellationToken);
            }
            else
            {
                await schedules.CreateAsync(definition, cancellationToken);
            }

            set.Add(definition.Id);
        }

        foreach (var stale in existing)
        {
            await schedules.DeleteAsync(stale, cancellationToken);
        }

        return set;
    }

    /// <summary>
    /// Points each stored job schedule at <c>backup.job</c> or <see cref="RefusedJobWorkflow"/> as
    /// <paramref name="rule"/> now decides, in the workflow store before the durable runtime starts
    /// (<see cref="StoredSchedules"/>: its start catches up fires missed while the controller was
    /// down, and must already start the workflow the rule allows). Schedules that already start the
    /// right workflow, and jobs without a schedule (the next apply creates them), are left alone;
    /// returns the new definitions of the schedules changed.
    /// </summary>
    public static Task<IReadOnlyList<ScheduleDefinition>> ReconcileStoredAsync(
        IWorkflowStore store, SiteDefinition site, int version, ScriptEnvironmentRule rule, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        var wanted = site.Jobs.Select(job => Definition(site, job, version, rule)).ToDictionary(d => d.Id, StringComparer.Ordinal);
        return StoredSchedules.ReplaceAsync(
            store,
            current => wanted.TryGetValue(current.Id, out var definition) && !StartsTheSame(current.Action, definition.Action) ? definition : null,
            now,
            cancellationToken);
    }

    /// <summary>The schedule of <paramref name="job"/>: its cron and window, and the workflow the current rule lets it start.</summary>
    private static ScheduleDefinition Definition(SiteDefinition site, BackupJob job, int version, ScriptEnvironmentRule rule)
    {
        var refused = ScriptEnvironmentCheck.Plan(JobPlanner.PlanBackup(site, job.Id), rule);
        var input = BackupJobInputs.FromSite(site, job.Id, runId: string.Empty, version);
        var action = refused.Count == 0
            ? new ScheduleWorkflowAction(BackupJobWorkflow.TypeName, JsonSerializer.SerializeToElement(input, Json)) { ExclusiveKeys = BusySystems.KeysOf(input.Systems.Select(s => s.SystemId)) }
            : new ScheduleWorkflowAction(RefusedJobWorkflow.TypeName, JsonSerializer.SerializeToElement(new RefusedJobInput(job.Id, version, ScriptEnvironmentRefusal.Describe($"Scheduled backup job {job.Id} of site version {version} was not started", refused, rule)), Json));
        return new ScheduleDefinition(
            Prefix + job.Id,
            new ScheduleSpec { CronExpressions = [job.Schedule.Cron], TimeZone = job.Schedule.TimeZone },
            action)
        {
            // No note: it is the operator's (pause with a note), and an update keeps it, so a
            // "site version N" written here would go stale; what it starts names the version.
            Policy = new SchedulePolicy { Overlap = ScheduleOverlapPolicy.Skip, CatchupWindow = job.Schedule.Window > TimeSpan.Zero ? job.Schedule.Window : TimeSpan.FromMinutes(1) },
        };
    }

    /// <summary>
    /// Whether <paramref name="current"/> already starts what <paramref name="wanted"/> would: the
    /// same workflow type, and for a refusal the same reason (a <c>backup.job</c> input is left as
    /// the last apply planned it).
    /// </summary>
    private static bool StartsTheSame(ScheduleWorkflowAction current, ScheduleWorkflowAction wanted) =>
        current.WorkflowType == wanted.WorkflowType
        && current.ExclusiveKeys.SequenceEqual(wanted.ExclusiveKeys, StringComparer.Ordinal)
        && (wanted.WorkflowType == BackupJobWorkflow.TypeName || JsonEquals(current.Input, wanted.Input));

    private static bool JsonEquals(JsonElement? a, JsonElement? b) =>
        a is null || b is null ? a is null && b is null : JsonElement.DeepEquals(a.Value, b.Value);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
