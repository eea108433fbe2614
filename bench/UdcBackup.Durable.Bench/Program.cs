using System.Globalization;
using UdcBackup.Durable.Bench;

// Durable runtime benchmark: many diag.steps workflows (3 no-op activities each) in-process on a
// temporary SQLite file. Prints one table; docs/benchmarks.md records the results with the command.
var options = BenchOptions.Parse(args);
Console.WriteLine($"udc durable bench: {Environment.ProcessorCount} cores, .NET {Environment.Version}, SQLite synchronous={options.Synchronous}, {DiagStepsLoad.ActivitiesPerWorkflow} activities per workflow");
Console.WriteLine($"load average before: {LoadAverage()}");

var results = new List<BenchResult>
{
    await DiagStepsLoad.RunAsync("sequential", options, options.Sequential, concurrency: 1),
    await DiagStepsLoad.RunAsync("concurrent", options, options.Workflows, options.Concurrency),
};

Console.WriteLine();
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
