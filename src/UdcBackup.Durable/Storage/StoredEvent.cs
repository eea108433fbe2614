using UdcBackup.Durable.History;

namespace UdcBackup.Durable.Storage;

/// <summary>A history event with the run it belongs to.</summary>
public sealed record StoredEvent(string RunId, HistoryEvent Event);
