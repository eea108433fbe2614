namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Argument of the <c>flow</c> workflow's <c>approve</c> and <c>reject</c> signals: which approval
/// it answers (<see cref="Node"/> id, or else the node's configured <see cref="Signal"/> name,
/// default <c>approve</c>), who answered and why. A signal that matches no waiting approval is kept
/// until one does.
/// </summary>
public sealed record FlowApprovalSignal(string? Node = null, string? Signal = null, string? By = null, string? Note = null);
