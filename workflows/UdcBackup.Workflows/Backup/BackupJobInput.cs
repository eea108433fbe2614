using UdcBackup.Activities.Firewall;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Workflows.Backup;

/// <summary>
/// Everything a backup run needs, derived from one site version at start
/// (<see cref="BackupJobInputs.FromSite"/>), so the workflow never reads the site and a later
/// apply does not change a run in flight. <see cref="RunId"/> tags the firewall rules and the
/// snapshots; <see cref="Window"/> bounds each stream (the schedule's window).
/// </summary>
public sealed record BackupJobInput(
    string RunId,
    string JobId,
    int SiteVersion,
    string MediaAgentId,
    string MediaEndpoint,
    string Repository,
    IReadOnlyList<FirewallTarget> Firewalls,
    IReadOnlyList<WindowSpec> Windows,
    IReadOnlyList<BackupSystemSpec> Systems,
    LevelSpec Levels,
    RetentionSpec? Retention,
    bool ContinueOnSystemFailure,
    TimeSpan? Window) : IValidatedWorkflowInput
{
    /// <inheritdoc />
    /// <remarks>
    /// An input built from the site (<see cref="BackupJobInputs.FromSite"/>) always passes; this
    /// catches one written by hand for <c>udc workflow start backup.job</c>.
    /// </remarks>
    public IReadOnlyList<string> Problems()
    {
        var problems = new WorkflowInputProblems()
            .Required("jobId", JobId, "the site job this run backs up")
            .AtLeast("siteVersion", SiteVersion, 0)
            .RequiredTransfer(MediaAgentId, MediaEndpoint, Repository, Firewalls, Windows)
            .Required("levels", Levels, "the job's full/incremental pattern")
            .Each("systems", Systems, (p, name, system) => p
                .Required($"{name}.systemId", system.SystemId, "the protected system's id")
                .Required($"{name}.agentEndpoint", system.AgentEndpoint, "its disk agent's address, host:port")
                .Required($"{name}.dataSets", system.DataSets, "a list of data sets, may be empty")
                .Required($"{name}.afterPostBackup", system.AfterPostBackup, "a list of data sets, may be empty"));
        if (!string.IsNullOrEmpty(RunId) && !SiteInputs.IsRunId(RunId))
        {
            problems.Add($"runId '{RunId}' {SiteInputs.RunIdRule}; leave it empty to use the workflow id");
        }

        if (Systems is not { Count: > 0 })
        {
            problems.Add("systems is required (at least one system to back up)");
        }

        if (Levels is { } levels)
        {
            problems.Required("levels.timeZone", levels.TimeZone, "the IANA time zone the full days are read in")
                .AtLeast("levels.fullEvery", levels.FullEvery, 1);
        }

        if (Retention is { } keep)
        {
            problems.AtLeast("retention.keepLast", keep.KeepLast, 0)
                .AtLeast("retention.keepDaily", keep.KeepDaily, 0)
                .AtLeast("retention.keepWeekly", keep.KeepWeekly, 0)
                .AtLeast("retention.keepMonthly", keep.KeepMonthly, 0)
                .AtLeast("retention.keepYearly", keep.KeepYearly, 0);
        }

        if (Window is { } window && window <= TimeSpan.Zero)
        {
            problems.Add($"window must be a positive duration (e.g. \"02:00:00\") or absent, was {window}");
        }

        return problems.ToList();
    }
}
