namespace UdcBackup.Server.Api.Contracts;

/// <summary>Answer of a workflow start: the ids of the new run.</summary>
/// <param name="WorkflowId">The workflow id, given or generated.</param>
/// <param name="RunId">The new run's id.</param>
/// <param name="PreviousRun">
/// The latest earlier run of a given workflow id, when there was one: a closed id may be used
/// again (a new run starts, as Temporal's default allows), and this says so instead of hiding that
/// the id already had a run. Absent for a new id.
/// </param>
public sealed record WorkflowStarted(string WorkflowId, string RunId, WorkflowSummary? PreviousRun = null);
