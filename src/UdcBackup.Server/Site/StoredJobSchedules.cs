using System.Text.Json;
using System.Text.Json.Serialization;
using UdcBackup.Durable.Schedules;
using UdcBackup.Durable.Storage;
using UdcBackup.ScriptContract;
using UdcBackup.Site.Model;

namespace UdcBackup.Server.Site;

/// <summary>
/// Points each stored job schedule at <c>backup.job</c> or <see cref="RefusedJobWorkflow"/> as the
/// current script environment rule decides, in the workflow store itself and before the durable
/// runtime starts. It has to happen there: the runtime's schedule client exists only once the
/// runtime runs, and the runtime's start already catches up fire times missed while the controller
/// was down, so a change made through the client afterwards would come after a catch-up that had
/// started <c>backup.job</c> with a variable the disk agent refuses.
/// <para>
/// Only the definition row changes, as <c>ScheduleClient.UpdateAsync</c> would change it (spec,
/// action and policy from the site; pause and note kept), written in the shape the client reads
/// (JSON web defaults, nulls left out). The state row is kept as it is, including the instant fire
/// times are handled until, so a fire missed while the controller was down is still caught up, now
/// as the workflow the rule allows (a refused run recorded with its reason). Schedules that already
/// start the right workflow, and jobs without a schedule (the next apply creates them), are left alone.
/// All changes are one commit: a failure changes nothing and is the caller's to report.
/// </para>
/// </summary>
public static class StoredJobSchedules
{
    private static readonly JsonSerializerOptions RowJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Rewrites the schedules of <paramref name="site"/>'s jobs that start another workflow than <paramref name="rule"/> allows; returns their new definitions.</summary>
    public static async Task<IReadOnlyList<ScheduleDefinition>> ReconcileAsync(
        IWorkflowStore store, SiteDefinition site, int version, ScriptEnvironmentRule rule, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(site);
        var stored = (await store.LoadSchedulesAsync(cancellationToken)).ToDictionary(r => r.ScheduleId, StringComparer.Ordinal);
        var sets = new List<StoreWriteSet>();
        var changed = new List<ScheduleDefinition>();
        foreach (var job in site.Jobs)
        {
            var wanted = SiteSchedules.Definition(site, job, version, rule);
            if (!stored.TryGetValue(wanted.Id, out var record))
            {
                continue;
            }

            var current = JsonSerializer.Deserialize<ScheduleDefinition>(record.DefinitionJson, RowJson)
                ?? throw new InvalidOperationException($"The stored schedule {record.ScheduleId} has no definition.");
            if (SiteSchedules.StartsTheSame(current.Action, wanted.Action))
            {
                continue;
            }

            var replaced = wanted with { Paused = current.Paused, Note = current.Note };
            sets.Add(new StoreWriteSet { UpsertSchedule = record with { DefinitionJson = JsonSerializer.Serialize(replaced, RowJson), UpdatedAt = now } });
            changed.Add(replaced);
        }

        if (sets.Count > 0)
        {
            await store.CommitAsync(sets, cancellationToken);
        }

        return changed;
    }
}
