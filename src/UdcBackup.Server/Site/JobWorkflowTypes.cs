using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Restore;

namespace UdcBackup.Server.Site;

/// <summary>
/// The workflow types the controller treats as the site's jobs: <c>GET /api/jobs</c> lists them
/// and <c>GET /api/jobs/{id}</c> shows them with per-system progress, and no other run. The one
/// list the API and its clients (<c>udc schedule show</c> picks the jobs endpoint for these) read,
/// so a new job type cannot be shown by one and missed by the other.
/// </summary>
public static class JobWorkflowTypes
{
    /// <summary>A site backup run, a scheduled backup refused before it started, and a restore.</summary>
    public static IReadOnlyList<string> All { get; } = [BackupJobWorkflow.TypeName, RestoreWorkflow.TypeName, RefusedJobWorkflow.TypeName];

    /// <summary>Whether runs of <paramref name="workflowType"/> are read through the jobs endpoints.</summary>
    public static bool Contains(string workflowType) => All.Contains(workflowType, StringComparer.Ordinal);
}
