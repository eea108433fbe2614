using UdcBackup.Site.Model;
using UdcBackup.Site.Planning;

namespace UdcBackup.Workflows.Backup;

/// <summary>Builds the input of <see cref="BackupJobWorkflow"/> from a site version and a job id (no I/O).</summary>
public static class BackupJobInputs
{
    /// <summary>The workflow id of a run: <c>backup-{job}-{yyyyMMddTHHmmssfffZ}</c> (see <see cref="SiteInputs.RunId"/>).</summary>
    public static string RunId(string jobId, DateTimeOffset at) => SiteInputs.RunId("backup", jobId, at);

    public static BackupJobInput FromSite(SiteDefinition site, string jobId, string runId, int siteVersion)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(runId);
        // Empty: a scheduled run, whose workflow id becomes its run id.
        if (runId.Length > 0)
        {
            SiteInputs.ValidateRunId(runId);
        }

        var plan = JobPlanner.PlanBackup(site, jobId);
        var job = site.FindJob(jobId)!;
        var agent = site.FindMediaAgent(job.MediaAgent)!;
        var firewalls = SiteInputs.Firewalls(site, plan);
        var systems = job.Systems.Select(id => site.FindSystem(id)!).Select(s => new BackupSystemSpec(
            s.Id,
            s.AgentEndpoint,
            SiteInputs.Script(s.Scripts.PreBackup),
            SiteInputs.Script(s.Scripts.PostBackup),
            s.DataSets.Where(d => !d.AfterPostBackup).Select(SiteInputs.DataSet).ToList(),
            s.DataSets.Where(d => d.AfterPostBackup).Select(SiteInputs.DataSet).ToList())).ToList();
        var retention = job.Retention.KeepsAnything
            ? new RetentionSpec(job.Retention.KeepLast, job.Retention.KeepDaily, job.Retention.KeepWeekly, job.Retention.KeepMonthly, job.Retention.KeepYearly)
            : null;
        return new BackupJobInput(
            runId,
            job.Id,
            siteVersion,
            agent.Id,
            agent.Endpoint,
            job.Repository,
            firewalls,
            SiteInputs.Windows(firewalls, plan),
            systems,
            new LevelSpec(job.Levels.FullOn.ToList(), job.Levels.FullEvery, job.Schedule.TimeZone),
            retention,
            job.ContinueOnSystemFailure,
            job.Schedule.Window > TimeSpan.Zero ? job.Schedule.Window : null);
    }

}
