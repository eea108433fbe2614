using System.Diagnostics;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Bench;

/// <summary>
/// Runs many workflows of one <see cref="Workload"/> on a fresh runtime over a temporary SQLite
/// file (deleted afterwards), so what is measured is the runtime's own cost: history commits,
/// dispatch, replay-free stepping and completion. Latency is start call to result
/// (start-to-complete); the per-step overhead is that latency divided by the workload's
/// activities; only a sequential scenario (one workflow at a time) gives a meaningful overhead,
/// since under load the latency is mostly queueing (Little's law).
/// </summary>
internal static class WorkflowLoad
{
    public static async Task<BenchResult> RunAsync(string scenario, Workload workload, BenchOptions options, int workflows, int concurrency)
    {
        var directory = Directory.CreateTempSubdirectory("udc-bench-");
        try
        {
            var store = new TimedWorkflowStore(new SqliteWorkflowStore(new SqliteWorkflowStoreOptions { Path = Path.Combine(directory.FullName, "workflows.db"), Synchronous = options.Synchronous }));
            var runtimeOptions = new DurableRuntimeOptions(store) { OwnerId = "bench" };
            workload.Register(runtimeOptions);
            await using var runtime = new DurableRuntime(runtimeOptions);
            await runtime.StartAsync();

            // Warm-up: JIT, SQLite page cache, connection pools; not measured.
            await RunBatchAsync(runtime, workload, "warmup", Math.Min(options.Warmup, workflows), concurrency, []);
            var (commitsBefore, setsBefore) = runtime.CommitStatistics;
            var commitTimeBefore = store.CommitTime;

            var latencies = new List<double>(workflows);
            using var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var gen2Before = GC.CollectionCount(2);
            var wall = Stopwatch.StartNew();
            await RunBatchAsync(runtime, workload, scenario, workflows, concurrency, latencies);
            wall.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var gen2 = GC.CollectionCount(2) - gen2Before;
            var commitTime = store.CommitTime - commitTimeBefore;
            var (commitsAfter, setsAfter) = runtime.CommitStatistics;
            await runtime.StopAsync();

            latencies.Sort();
            var p50 = Percentiles.Of(latencies, 50);
            return new BenchResult(scenario, workflows, concurrency, wall.Elapsed, p50, Percentiles.Of(latencies, 99), p50 / workload.ActivitiesPerWorkflow, commitsAfter - commitsBefore, setsAfter - setsBefore, cpu, gen2, commitTime);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task RunBatchAsync(DurableRuntime runtime, Workload workload, string prefix, int count, int concurrency, List<double> latencies)
    {
        var next = -1;
        var gate = new object();
        async Task Worker()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                {
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                await workload.RunOneAsync(runtime.Client, $"{prefix}-{i}");
                var millis = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (gate)
                {
                    latencies.Add(millis);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(Worker)));
    }
}
