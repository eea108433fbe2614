namespace UdcBackup.Site.Planning;

/// <summary>
/// The ordered steps of a backup job run or of a restore, derived from the site only (no I/O, no
/// clock), for the workflows to follow and for the designer to preview.
/// For a restore, <see cref="SourceSystemId"/> owns the snapshot and <see cref="TargetSystemId"/>
/// receives it; when they differ, <see cref="NeedsApproval"/> is set and an operator must approve.
/// How a runner follows it: steps run in order; when a step of a system fails, the rest of that
/// system's steps are skipped except cleanup steps (<see cref="PlanStep.CleanupOf"/>) whose undone
/// step has started, and the system's snapshot is not recorded — in particular the stream after a
/// failed post-backup never runs, because a database copy without its label is not restorable.
/// The next system runs only when <see cref="ContinueOnSystemFailure"/> is set; window closes
/// always run.
/// </summary>
public sealed record JobPlan(
    PlanKind Kind,
    string? JobId,
    string MediaAgentId,
    string Repository,
    string? SourceSystemId,
    string? TargetSystemId,
    bool NeedsApproval,
    bool ContinueOnSystemFailure,
    IReadOnlyList<PlanStep> Steps);
