using System.Text.Json;
using UdcBackup.Durable.Schedules;
using UdcBackup.Site.Model;
using UdcBackup.Workflows.Backup;

namespace UdcBackup.Server.Site;

/// <summary>
/// Keeps the runtime's schedules in step with the applied site: one schedule <c>job-{jobId}</c>
/// per backup job, whose action starts <c>backup.job</c> with the input planned from that site
/// version (run id empty: the scheduled workflow id <c>job-{job}-{fire time}</c> becomes the run
/// id). A changed job's schedule is replaced; schedules of jobs no longer in the site are deleted.
/// Overlapping fires are skipped (a run still going keeps the window), and a fire missed by more
/// than the job's window is dropped rather than run late.
/// </summary>
public static class SiteSchedules
{
    public const string Prefix = "job-";

    public static async Task<IReadOnlyList<string>> ApplyAsync(ScheduleClient schedules, SiteDefinition site, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(site);
        var existing = (await schedules.ListAsync(cancellationToken)).Select(s => s.Definition.Id).Where(id => id.StartsWith(Prefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var set = new List<string>();
        foreach (var job in site.Jobs)
        {
            var id = Prefix + job.Id;
            var input = BackupJobInputs.FromSite(site, job.Id, runId: string.Empty, version);
            var definition = new ScheduleDefinition(
                id,
                new ScheduleSpec { CronExpressions = [job.Schedule.Cron], TimeZone = job.Schedule.TimeZone },
                new ScheduleWorkflowAction(BackupJobWorkflow.TypeName, JsonSerializer.SerializeToElement(input, Json)))
            {
                Policy = new SchedulePolicy { Overlap = ScheduleOverlapPolicy.Skip, CatchupWindow = job.Schedule.Window > TimeSpan.Zero ? job.Schedule.Window : TimeSpan.FromMinutes(1) },
                Note = $"site version {version}",
            };
            if (existing.Remove(id))
            {
                await schedules.DeleteAsync(id, cancellationToken);
            }

            await schedules.CreateAsync(definition, cancellationToken);
            set.Add(id);
        }

        foreach (var stale in existing)
        {
            await schedules.DeleteAsync(stale, cancellationToken);
        }

        return set;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
