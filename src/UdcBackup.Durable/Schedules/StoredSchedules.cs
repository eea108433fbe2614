using System.Text.Json;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Schedules;

/// <summary>
/// Changes stored schedule definitions before a runtime starts on the store: a host's start-up
/// step that must decide what a schedule starts before <see cref="DurableRuntime.StartAsync"/>
/// catches up the fire times missed while no runtime ran (the <see cref="ScheduleClient"/> exists
/// only once the runtime runs, and its update would come after that catch-up). Only the definition
/// row changes; pause and note are kept, and so is the state, including the instant fire times are
/// handled until, so a missed fire is still caught up, with the new action (unlike
/// <see cref="ScheduleClient.UpdateAsync"/>, which drops the old spec's unhandled fires). All
/// changes are one commit: a failure changes nothing.
/// </summary>
public static class StoredSchedules
{
    /// <summary>
    /// Calls <paramref name="replace"/> with each stored definition; a non-null answer replaces it
    /// (pause and note kept). Returns the new definitions written.
    /// </summary>
    public static async Task<IReadOnlyList<ScheduleDefinition>> ReplaceAsync(
        IWorkflowStore store, Func<ScheduleDefinition, ScheduleDefinition?> replace, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(replace);
        var sets = new List<StoreWriteSet>();
        var changed = new List<ScheduleDefinition>();
        foreach (var record in await store.LoadSchedulesAsync(cancellationToken))
        {
            var current = JsonSerializer.Deserialize<ScheduleDefinition>(record.DefinitionJson, DurableJson.Options)
                ?? throw new InvalidOperationException($"The stored schedule {record.ScheduleId} has no definition.");
            if (replace(current) is not { } wanted)
            {
                continue;
            }

            var replaced = wanted with { Id = current.Id, Paused = current.Paused, Note = current.Note };
            sets.Add(new StoreWriteSet { UpsertSchedule = record with { DefinitionJson = JsonSerializer.Serialize(replaced, DurableJson.Options), UpdatedAt = now } });
            changed.Add(replaced);
        }

        if (sets.Count > 0)
        {
            await store.CommitAsync(sets, cancellationToken);
        }

        return changed;
    }
}
