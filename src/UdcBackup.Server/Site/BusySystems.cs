using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Server.Api.Runs;
using UdcBackup.Server.Runtime;

namespace UdcBackup.Server.Site;

/// <summary>
/// One run at a time works on a system: a backup holds the exclusive key <c>system=ID</c>
/// (<see cref="KeyOf"/>) of each of its systems while it runs, a restore that of its target (it
/// only reads its snapshot's owner, through the media agent). Two runs on one system undo each
/// other's work: the first backup's post-backup ends the database's backup mode while the second
/// still streams, a restore stops the programs a backup just suspended, both write the same state
/// folder. The durable runtime refuses a start naming a held key atomically with the start itself
/// (on every controller node sharing the store), so a backup or restore an operator starts is
/// refused (409) naming the run that works on the system and what to do, and a scheduled backup
/// (its schedule's action carries the same keys, <see cref="SiteSchedules"/>) is skipped. With
/// <c>force</c> the run starts without keys: it is not refused and holds nothing. Flows hold no
/// keys: a site flow may run for days around its own steps.
/// </summary>
internal static class BusySystems
{
    /// <summary>The exclusive key a run that works on <paramref name="system"/> holds.</summary>
    public static string KeyOf(string system) => $"{RunSystems.AttributeName}={system}";

    /// <summary>The exclusive keys of a run that works on <paramref name="systems"/>, in their order.</summary>
    public static IReadOnlyList<string> KeysOf(IEnumerable<string> systems) => [.. systems.Distinct(StringComparer.Ordinal).Select(KeyOf)];

    /// <summary>Starts the run through <paramref name="start"/> (given the keys to hold: none when forced); the refusal, and nothing was started, when another run holds one of them.</summary>
    public static async Task<string?> StartUnlessBusyAsync(DurableRuntimeService host, IEnumerable<string> systems, bool force, Func<WorkflowStartOptions, Task> start)
    {
        ArgumentNullException.ThrowIfNull(host);
        var keys = force ? [] : KeysOf(systems);
        try
        {
            await start(new WorkflowStartOptions { ExclusiveKeys = keys });
            return null;
        }
        catch (ExclusiveKeyHeldException held)
        {
            var system = held.Key[(RunSystems.AttributeName.Length + 1)..];
            return $"{system} is busy: {held.WorkflowType} run {held.WorkflowId} works on it (started {held.StartTime:yyyy-MM-dd HH:mm:ss}Z); one backup or restore works on a system at a time. "
                + $"Wait for it to close (udc jobs show {held.WorkflowId} --follow), cancel it (udc workflow cancel {held.WorkflowId}), or start anyway with --force. Nothing was started.";
        }
    }
}
