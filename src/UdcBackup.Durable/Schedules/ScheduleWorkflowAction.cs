using System.Text.Json;

namespace UdcBackup.Durable.Schedules;

/// <summary>The workflow a firing starts; its id is "{schedule id}-{fire time UTC, yyyyMMddTHHmmssZ}".</summary>
public sealed record ScheduleWorkflowAction(string WorkflowType, JsonElement? Input = null);
