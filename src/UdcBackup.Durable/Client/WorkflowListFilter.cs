namespace UdcBackup.Durable.Client;

/// <summary>
/// Filter of a workflow listing; newest first (start time, then creation order).
/// <see cref="StartedAfter"/> is inclusive, <see cref="StartedBefore"/> exclusive. <see cref="AfterRunId"/>
/// pages: only runs listed after that run (which need not match the other filters) are returned;
/// an unknown run id gives an empty list. <see cref="Attribute"/> keeps only runs that carry that
/// search attribute (read through its index: a page costs the runs it returns, not a scan).
/// </summary>
public sealed record WorkflowListFilter(string? WorkflowType = null, WorkflowExecutionStatus? Status = null, int Limit = 100)
{
    /// <summary>Gets only runs started at or after this time (UTC).</summary>
    public DateTime? StartedAfter { get; init; }

    /// <summary>Gets only runs started before this time (UTC).</summary>
    public DateTime? StartedBefore { get; init; }

    /// <summary>Gets the run id a page continues after (the last run of the previous page).</summary>
    public string? AfterRunId { get; init; }

    /// <summary>Gets a search attribute the runs must carry (exact name and value).</summary>
    public SearchAttribute? Attribute { get; init; }
}
