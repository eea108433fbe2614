namespace UdcBackup.Server.Site;

/// <summary>
/// One backup or restore run in <c>GET /api/jobs</c>. A closed backup also says how many systems it
/// worked on and how many of them did not succeed (<see cref="Api.Runs.SystemOutcomes"/>): it
/// completes as a workflow even when every system failed, so <see cref="Status"/> alone would read
/// Completed.
/// </summary>
public sealed record JobSummary(string Id, string WorkflowType, string Status, DateTime StartTime, DateTime? CloseTime)
{
    /// <summary>Gets how many systems the closed run reports (null while it runs, and for a restore).</summary>
    public int? Systems { get; init; }

    /// <summary>Gets how many of <see cref="Systems"/> failed, were skipped or cancelled.</summary>
    public int? SystemsNotOk { get; init; }
}
