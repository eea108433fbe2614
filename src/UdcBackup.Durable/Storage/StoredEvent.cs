using System.Text.Json;
using UdcBackup.Durable.History;

namespace UdcBackup.Durable.Storage;

/// <summary>
/// A history event with the run it belongs to, and its JSON form (the stored representation),
/// serialised when the event is created: that happens on the many step threads, which keeps the
/// work off the single writer.
/// </summary>
public sealed record StoredEvent(string RunId, HistoryEvent Event)
{
    public string Json { get; } = JsonSerializer.Serialize(Event, Runtime.DurableJson.Options);
}
