using System.Globalization;
using UdcBackup.Durable.Bench;

// Durable runtime benchmark: many diag.steps workflows (3 no-op activities each) in-process on a
// temporary SQLite file, then workflows of one activity that succeeds on its retry (what an
// attempt's own start commit costs). Prints one table; docs/benchmarks.md records the results.
var options = BenchOptions.Parse(args);
Console.WriteLine($"udc durable bench: {Environment.ProcessorCount} cores, .NET {Environment.Version}, SQLite synchronous={options.Synchronous}");
Console.WriteLine($"load average before: {LoadAverage()}");

var results = new List<BenchResult>
{
    await WorkflowLoad.RunAsync("sequential", Workload.DiagSteps, options, options.Sequential, concurrency: 1),
    await WorkflowLoad.RunAsync("concurrent", Workload.DiagSteps, options, options.Workflows, options.Concurrency),
};
if (options.RetryWorkflows > 0)
{
    results.Add(await WorkflowLoad.RunAsync("retry sequential", Workload.RetryOnce, options, options.Sequential, concurrency: 1));
    results.Add(await WorkflowLoad.RunAsync("retry concurrent", Workload.RetryOnce, options, options.RetryWorkflows, options.Concurrency));
}

Console.WriteLine();
Console.WriteLine("diag.steps rows: 3 activities per workflow, step overhead = p50 / 3; retry rows: 1 activity that fails once and succeeds on its retry 1 ms later, overhead = p50");
Console.WriteLine("| scenario | workflows | in flight | wall s | workflows/s | p50 ms | p99 ms | p50 step overhead ms | CPU ms/workflow | commits | write sets | writer busy % | gen2 GCs |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {r.Scenario} | {r.Workflows} | {r.Concurrency} | {r.Wall.TotalSeconds:0.00} | {r.WorkflowsPerSecond:0} | {r.P50Millis:0.00} | {r.P99Millis:0.00} | {(r.Concurrency == 1 ? r.P50StepOverheadMillis.ToString("0.000", CultureInfo.InvariantCulture) : "-")} | {r.CpuMillisPerWorkflow:0.000} | {r.Commits} | {r.WriteSets} | {r.WriterBusyPercent:0} | {r.Gen2Collections} |"));
}

Console.WriteLine();
Console.WriteLine($"load average after: {LoadAverage()}");

// The machine is shared; the load average tells how much of its 2 cores the run really had.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
