using System.Text.Json;
using UdcBackup.Durable.Schedules;
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
/// id). A changed job's schedule is replaced; schedules of jobs no longer in the site are deleted.
/// Overlapping fires are skipped (a run still going keeps the window), and a fire missed by more
/// than the job's window is dropped rather than run late. A job whose planned script calls the
/// current script environment rule refuses starts <see cref="RefusedJobWorkflow"/> instead, which
/// fails at once with the reason; <see cref="ReconcileAsync"/> switches existing schedules either
/// way at controller start, keeping their state (pause, note, recent actions).
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
                await schedules.DeleteAsync(definition.Id, cancellationToken);
            }

            await schedules.CreateAsync(definition, cancellationToken);
            set.Add(definition.Id);
        }

        foreach (var stale in existing)
        {
            await schedules.DeleteAsync(stale, cancellationToken);
        }

        return set;
    }

    /// <summary>
    /// Points each existing job schedule at <c>backup.job</c> or <see cref="RefusedJobWorkflow"/>
    /// as <paramref name="rule"/> now decides, changing only those whose workflow type or input
    /// differs (a <c>backup.job</c> action is left as the last apply planned it); returns the new
    /// definitions of the schedules changed. Jobs without a schedule are left alone (the next apply creates them).
    /// </summary>
    public static async Task<IReadOnlyList<ScheduleDefinition>> ReconcileAsync(ScheduleClient schedules, SiteDefinition site, int version, ScriptEnvironmentRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(site);
        var existing = (await schedules.ListAsync(cancellationToken)).ToDictionary(s => s.Definition.Id, StringComparer.Ordinal);
        var changed = new List<ScheduleDefinition>();
        foreach (var job in site.Jobs)
        {
            var wanted = Definition(site, job, version, rule);
            if (!existing.TryGetValue(wanted.Id, out var current)
                || (current.Definition.Action.WorkflowType == wanted.Action.WorkflowType
                    && (wanted.Action.WorkflowType == BackupJobWorkflow.TypeName || JsonEquals(current.Definition.Action.Input, wanted.Action.Input))))
            {
                continue;
            }

            await schedules.UpdateAsync(wanted, cancellationToken);
            changed.Add(wanted);
        }

        return changed;
    }

    private static ScheduleDefinition Definition(SiteDefinition site, BackupJob job, int version, ScriptEnvironmentRule rule)
    {
        var refused = ScriptEnvironmentCheck.Plan(JobPlanner.PlanBackup(site, job.Id), rule);
        var action = refused.Count == 0
            ? new ScheduleWorkflowAction(BackupJobWorkflow.TypeName, JsonSerializer.SerializeToElement(BackupJobInputs.FromSite(site, job.Id, runId: string.Empty, version), Json))
            : new ScheduleWorkflowAction(RefusedJobWorkflow.TypeName, JsonSerializer.SerializeToElement(new RefusedJobInput(job.Id, version, ScriptEnvironmentRefusal.Describe($"Scheduled backup job {job.Id} of site version {version} was not started", refused, rule)), Json));
        return new ScheduleDefinition(
            Prefix + job.Id,
            new ScheduleSpec { CronExpressions = [job.Schedule.Cron], TimeZone = job.Schedule.TimeZone },
            action)
        {
            Policy = new SchedulePolicy { Overlap = ScheduleOverlapPolicy.Skip, CatchupWindow = job.Schedule.Window > TimeSpan.Zero ? job.Schedule.Window : TimeSpan.FromMinutes(1) },
            Note = $"site version {version}",
        };
    }

    private static bool JsonEquals(JsonElement? a, JsonElement? b) =>
        a is null || b is null ? a is null && b is null : JsonElement.DeepEquals(a.Value, b.Value);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
