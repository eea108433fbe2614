namespace UdcBackup.Activities.Systems;

/// <summary>
/// Result of <c>data.check-restore-target</c>: whether the target's disk agent would accept the
/// restore, and when not, its reason (<see cref="Refusal"/>) as the agent worded it.
/// </summary>
public sealed record RestoreTargetCheck(bool Accepted, string? Refusal);
