namespace UdcBackup.Site.Planning;

/// <summary>
/// The ordered steps of a backup job run or of a restore, derived from the site only (no I/O, no
/// clock), for the workflows to follow and for the designer to preview.
/// For a restore, <see cref="SourceSystemId"/> owns the snapshot and <see cref="TargetSystemId"/>
/// receives it; when they differ, <see cref="NeedsApproval"/> is set and an operator must approve.
/// </summary>
public sealed record JobPlan(
    PlanKind Kind,
    string? JobId,
    string MediaAgentId,
    string Repository,
    string? SourceSystemId,
    string? TargetSystemId,
    bool NeedsApproval,
    IReadOnlyList<PlanStep> Steps);
