namespace UdcBackup.Agents.Tokens;

/// <summary>
/// An operator's approval to restore one system's snapshot onto another system. Without it a
/// restore stream goes only to the system that owns the snapshot.
/// </summary>
/// <param name="ApprovedBy">The operator who approved (as authenticated by the controller).</param>
/// <param name="TargetSystemId">The system that receives the data.</param>
public sealed record CrossSystemApproval(string ApprovedBy, string TargetSystemId);
