using System.Text.Json;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// The state of one node of a run: <c>waiting</c>, <c>running</c>, <c>retrying</c>, <c>failed</c>,
/// <c>done</c> or <c>skipped</c>; the attempt and progress of its running activity (filled by the
/// controller from the runtime's pending activities), the error, how often it ran (for-each bodies
/// run once per item), and <see cref="ActivityCalls"/>: the 0-based positions, among the run's
/// scheduled activities, of its activity calls still running (how the controller finds them in
/// the history).
/// </summary>
public sealed record FlowNodeState(string NodeId, string State, int Attempt, JsonElement? Progress, string? Error, int Runs, IReadOnlyList<int> ActivityCalls);
