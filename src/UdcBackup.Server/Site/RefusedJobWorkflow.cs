using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Server.Site;

/// <summary>
/// <c>backup.refused</c>: what a backup job's schedule starts instead of <c>backup.job</c> while
/// the stored site has script calls that the controller's current script environment rule
/// refuses (set at controller start by <see cref="ScriptEnvironmentStartupCheck"/>). It fails at
/// once with the reason, without any activity, so each fire is recorded as a failed run
/// (<c>udc jobs list</c>, the schedule's recent actions) instead of opening the firewall window and
/// quiescing systems before a disk agent refuses the script. The schedule starts
/// <c>backup.job</c> again once the site or the setting is fixed (apply, or restart).
/// </summary>
[Workflow(TypeName)]
public sealed class RefusedJobWorkflow
{
    public const string TypeName = "backup.refused";

    [WorkflowRun]
    public Task<string> RunAsync(RefusedJobInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromException<string>(new ApplicationFailureException(input.Reason, ScriptEnvironmentRefusal.ErrorType, nonRetryable: true));
    }
}
