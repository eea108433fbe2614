using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Durable.Storage;

/// <summary>Closes a run: sets its final status and drops its pending activity tasks and timers.</summary>
public sealed record ExecutionClose(string RunId, WorkflowExecutionStatus Status, DateTime CloseTime, JsonElement? Result, FailureInfo? Failure);
