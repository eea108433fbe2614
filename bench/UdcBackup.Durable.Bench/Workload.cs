using UdcBackup.Activities.Diagnostics;
using UdcBackup.Durable.Client;
using UdcBackup.Workflows.Diagnostics;

namespace UdcBackup.Durable.Bench;

/// <summary>
/// What a scenario runs: the workflow and activities it registers, how one workflow is started
/// and checked, and how many activities one workflow runs (the divisor of the step overhead).
/// </summary>
internal sealed record Workload(string Name, int ActivitiesPerWorkflow, Action<DurableRuntimeOptions> Register, Func<WorkflowClient, string, Task> RunOneAsync)
{
    private static readonly DiagStepsInput StepsInput = new(Steps: 2, StepMillis: 0, FailAt: null, CleanupMillis: 0);

    /// <summary>
    /// The built-in <c>diag.steps</c> with 2 steps and its cleanup: three activities that do no
    /// work, each started together with the step that schedules it (no separate start commit).
    /// </summary>
    public static Workload DiagSteps { get; } = new(
        "diag.steps",
        ActivitiesPerWorkflow: 3,
        options =>
        {
            options.AddWorkflow<DiagnosticStepsWorkflow>();
            options.AddActivities(new DiagnosticActivities(evidenceDirectory: null));
        },
        async (client, id) =>
        {
            var handle = await client.StartWorkflowAsync(DiagnosticStepsWorkflow.TypeName, StepsInput, new WorkflowStartOptions { Id = id });
            var result = await handle.GetResultAsync<DiagStepsResult>();
            if (result.StepsCompleted != StepsInput.Steps || !result.CleanedUp)
            {
                throw new InvalidOperationException($"workflow {id} returned {result}");
            }
        });

    /// <summary>
    /// One activity whose first attempt fails and whose retry (after 1 ms) succeeds: the retry's
    /// start is a write of its own, which is what this scenario prices.
    /// </summary>
    public static Workload RetryOnce { get; } = new(
        RetryOnceWorkflow.TypeName,
        ActivitiesPerWorkflow: 1,
        options =>
        {
            options.AddWorkflow<RetryOnceWorkflow>();
            options.AddActivities(new RetryOnceActivities());
        },
        async (client, id) =>
        {
            var handle = await client.StartWorkflowAsync(RetryOnceWorkflow.TypeName, id, new WorkflowStartOptions { Id = id });
            var attempt = await handle.GetResultAsync<int>();
            if (attempt != 2)
            {
                throw new InvalidOperationException($"workflow {id} succeeded on attempt {attempt}, not 2");
            }
        });
}
