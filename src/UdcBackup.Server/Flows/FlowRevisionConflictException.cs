namespace UdcBackup.Server.Flows;

/// <summary>A draft save or publish named a revision that is no longer the current one (someone saved in between).</summary>
public sealed class FlowRevisionConflictException(string flowId, int expected, int current)
    : Exception($"flow {flowId}: the draft is at revision {current}, not {expected}; reload it and apply your change again")
{
    public int Current { get; } = current;
}
