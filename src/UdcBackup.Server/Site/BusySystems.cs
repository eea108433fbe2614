using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Server.Api.Runs;
using UdcBackup.Server.Runtime;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Restore;

namespace UdcBackup.Server.Site;

/// <summary>
/// One run at a time works on a system: a backup or restore an operator starts is refused (409)
/// while another run works on one of its systems, naming that run and what to do, unless the
/// request says <c>force</c>. Two runs on one system undo each other's work: the first backup's
/// post-backup ends the database's backup mode while the second still streams, a restore stops
/// the programs a backup just suspended, both write the same state folder. A run works on a
/// system when it is a backup of it or a restore to it (a restore only reads its snapshot's
/// owner, through the media agent). Flows are not counted: a site flow may run for days around
/// its own steps. Starts are serialised on this controller, so two requests a moment apart cannot
/// both pass. Scheduled runs start without this check: a schedule's overlap policy governs them.
/// </summary>
internal static class BusySystems
{
    private static readonly SemaphoreSlim Starting = new(1, 1);

    /// <summary>Runs <paramref name="start"/> unless a running run works on one of <paramref name="systems"/>; then the refusal, and nothing was started.</summary>
    public static async Task<string?> StartUnlessBusyAsync(DurableRuntimeService host, IEnumerable<string> systems, bool force, Func<Task> start, CancellationToken cancellationToken)
    {
        await Starting.WaitAsync(cancellationToken);
        try
        {
            if (!force && await BusyAsync(host, systems, cancellationToken) is { } busy)
            {
                return busy;
            }

            await start();
            return null;
        }
        finally
        {
            Starting.Release();
        }
    }

    private static async Task<string?> BusyAsync(DurableRuntimeService host, IEnumerable<string> systems, CancellationToken cancellationToken)
    {
        foreach (var system in systems.Distinct(StringComparer.Ordinal))
        {
            var filter = new WorkflowListFilter(Status: WorkflowExecutionStatus.Running, Limit: 100) { Attribute = new SearchAttribute(RunSystems.AttributeName, system) };
            foreach (var run in await host.Runtime.Client.ListAsync(filter, cancellationToken))
            {
                if (WorksOn(run, system))
                {
                    return $"{system} is busy: {run.WorkflowType} run {run.WorkflowId} works on it (started {run.StartTime:yyyy-MM-dd HH:mm:ss}Z); one backup or restore works on a system at a time. "
                        + $"Wait for it to close (udc jobs show {run.WorkflowId} --follow), cancel it (udc workflow cancel {run.WorkflowId}), or start anyway with --force. Nothing was started.";
                }
            }
        }

        return null;
    }

    private static bool WorksOn(WorkflowExecutionSummary run, string system) => run.WorkflowType switch
    {
        BackupJobWorkflow.TypeName => true,
        RestoreWorkflow.TypeName => run.Input is { ValueKind: JsonValueKind.Object } input
            && input.TryGetProperty("targetSystemId", out var target) && target.ValueKind == JsonValueKind.String && target.GetString() == system,
        _ => false,
    };
}
