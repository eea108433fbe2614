using UdcBackup.Durable.Client;

namespace UdcBackup.Durable.Replay;

/// <summary>Outcome of a clean replay: how many events were checked and how the recorded run ended (null if still running).</summary>
public sealed record WorkflowReplayResult(int EventsReplayed, WorkflowExecutionStatus? ClosedAs);
