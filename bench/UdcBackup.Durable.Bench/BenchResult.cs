namespace UdcBackup.Durable.Bench;

/// <summary>What one scenario measured.</summary>
internal sealed record BenchResult(
    string Scenario,
    int Workflows,
    int Concurrency,
    TimeSpan Wall,
    double P50Millis,
    double P99Millis,
    double P50StepOverheadMillis,
    long Commits,
    long WriteSets,
    TimeSpan CpuTime,
    int Gen2Collections,
    TimeSpan CommitTime)
{
    /// <summary>Share of the wall time the single store writer spent inside commits.</summary>
    public double WriterBusyPercent => 100 * CommitTime.TotalMilliseconds / Wall.TotalMilliseconds;

    /// <summary>Process CPU time (all threads) per workflow: the cost that bounds throughput on a machine of N idle cores at N * 1000 / this.</summary>
    public double CpuMillisPerWorkflow => CpuTime.TotalMilliseconds / Workflows;

    public double WorkflowsPerSecond => Workflows / Wall.TotalSeconds;
}
