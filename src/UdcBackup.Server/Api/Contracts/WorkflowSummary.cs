namespace UdcBackup.Server.Api.Contracts;

/// <summary>
/// One line of <c>GET /api/workflows</c>. A closed run whose result reports systems (a backup)
/// also says how many and how many of them did not succeed (<see cref="Runs.SystemOutcomes"/>):
/// such a run completes as a workflow even when its systems failed.
/// </summary>
public sealed record WorkflowSummary(string WorkflowId, string RunId, string WorkflowType, string Status, DateTime StartTime, DateTime? CloseTime)
{
    /// <summary>Gets how many systems the closed run's result reports (null when it reports none).</summary>
    public int? Systems { get; init; }

    /// <summary>Gets how many of <see cref="Systems"/> failed, were skipped or cancelled.</summary>
    public int? SystemsNotOk { get; init; }
}
