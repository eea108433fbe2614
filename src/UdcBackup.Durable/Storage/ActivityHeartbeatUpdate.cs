using System.Text.Json;

namespace UdcBackup.Durable.Storage;

/// <summary>Records the latest heartbeat details of a pending activity (no history event: heartbeats would flood it).</summary>
public sealed record ActivityHeartbeatUpdate(string RunId, int CommandId, JsonElement? Details, DateTime Time);
