using System.Diagnostics;
using UdcBackup.Activities.Diagnostics;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Storage;
using UdcBackup.Workflows.Diagnostics;

namespace UdcBackup.Durable.Bench;

/// <summary>
/// Runs the built-in <c>diag.steps</c> workflow with 2 steps and its cleanup — three activities
/// that do no work — on a fresh runtime over a temporary SQLite file, so what is measured is the
/// runtime's own cost: history commits, dispatch, replay-free stepping and completion.
/// Latency is start call to result (start-to-complete); the per-step overhead is that latency
/// divided by the three activities; only the sequential scenario (one workflow at a time) gives a
/// meaningful overhead, since under load the latency is mostly queueing (Little's law).
/// </summary>
internal static class DiagStepsLoad
{
    public const int ActivitiesPerWorkflow = 3;
    private static readonly DiagStepsInput Input = new(Steps: 2, StepMillis: 0, FailAt: null, CleanupMillis: 0);

    public static async Task<BenchResult> RunAsync(string scenario, BenchOptions options, int workflows, int concurrency)
    {
        var directory = Directory.CreateTempSubdirectory("udc-bench-");
        try
        {
            var store = new TimedWorkflowStore(new SqliteWorkflowStore(new SqliteWorkflowStoreOptions { Path = Path.Combine(directory.FullName, "workflows.db"), Synchronous = options.Synchronous }));
            var runtimeOptions = new DurableRuntimeOptions(store) { OwnerId = "bench" };
            runtimeOptions.AddWorkflow<DiagnosticStepsWorkflow>();
            runtimeOptions.AddActivities(new DiagnosticActivities(evidenceDirectory: null));
            await using var runtime = new DurableRuntime(runtimeOptions);
            await runtime.StartAsync();

            // Warm-up: JIT, SQLite page cache, connection pools; not measured.
            await RunBatchAsync(runtime, "warmup", Math.Min(options.Warmup, workflows), concurrency, []);
            var (commitsBefore, setsBefore) = runtime.CommitStatistics;
            var commitTimeBefore = store.CommitTime;

            var latencies = new List<double>(workflows);
            using var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var gen2Before = GC.CollectionCount(2);
            var wall = Stopwatch.StartNew();
            await RunBatchAsync(runtime, scenario, workflows, concurrency, latencies);
            wall.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var gen2 = GC.CollectionCount(2) - gen2Before;
            var commitTime = store.CommitTime - commitTimeBefore;
            var (commitsAfter, setsAfter) = runtime.CommitStatistics;
            await runtime.StopAsync();

            latencies.Sort();
            var p50 = Percentiles.Of(latencies, 50);
            return new BenchResult(scenario, workflows, concurrency, wall.Elapsed, p50, Percentiles.Of(latencies, 99), p50 / ActivitiesPerWorkflow, commitsAfter - commitsBefore, setsAfter - setsBefore, cpu, gen2, commitTime);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task RunBatchAsync(DurableRuntime runtime, string prefix, int count, int concurrency, List<double> latencies)
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
                var handle = await runtime.Client.StartWorkflowAsync(DiagnosticStepsWorkflow.TypeName, Input, new WorkflowStartOptions { Id = $"{prefix}-{i}" });
                var result = await handle.GetResultAsync<DiagStepsResult>();
                var millis = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (result.StepsCompleted != Input.Steps || !result.CleanedUp)
                {
                    throw new InvalidOperationException($"workflow {handle.Id} returned {result}");
                }

                lock (gate)
                {
                    latencies.Add(millis);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(Worker)));
    }
}
