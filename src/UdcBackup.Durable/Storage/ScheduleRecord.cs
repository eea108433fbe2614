namespace UdcBackup.Durable.Storage;

/// <summary>A schedule's definition and state, both as JSON documents (row of <c>schedules</c>).</summary>
public sealed record ScheduleRecord(string ScheduleId, string DefinitionJson, string StateJson, DateTime UpdatedAt);
