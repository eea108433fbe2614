using UdcBackup.Activities.Diagnostics;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Workflows.Diagnostics;

/// <summary>
/// <c>diag.steps</c>, the built-in self-test: N step activities in order, each working M ms and
/// heartbeating, then a cleanup activity in a <c>finally</c> block, optionally failing at step K.
/// It exercises what every real flow relies on (durable history, retries, heartbeats, a durable
/// finally that runs after failure, cancellation or a controller crash), so operators can check an
/// installation with it and tests and benchmarks use it as their standard load. The cleanup runs
/// with <c>CancellationToken.None</c> so a cancel does not skip it.
/// </summary>
[Workflow(TypeName)]
public sealed class DiagnosticStepsWorkflow
{
    /// <summary>The registered workflow type name.</summary>
    public const string TypeName = "diag.steps";

    private int _stepsCompleted;

    /// <summary>How many steps have completed so far (query <c>progress</c>).</summary>
    [WorkflowQuery("progress")]
    public int StepsCompleted => _stepsCompleted;

    [WorkflowRun]
    public async Task<DiagStepsResult> RunAsync(DiagStepsInput? input)
    {
        // No input means the defaults, so `udc workflow start diag.steps` is a complete check.
        input ??= new DiagStepsInput();
        Validate(input);
        try
        {
            for (var step = 1; step <= input.Steps; step++)
            {
                var stepInput = new DiagStepInput(step, input.StepMillis, step == input.FailAt);
                await Workflow.ExecuteActivityAsync<DiagnosticActivities, DiagStepResult>(a => a.StepAsync(stepInput), Options(input.StepMillis, null));
                _stepsCompleted = step;
            }
        }
        finally
        {
            var cleanupMillis = input.CleanupMillis ?? input.StepMillis;
            var cleanup = new DiagCleanupInput(cleanupMillis, _stepsCompleted);
            await Workflow.ExecuteActivityAsync<DiagnosticActivities>(a => a.CleanupAsync(cleanup), Options(cleanupMillis, CancellationToken.None));
        }

        return new DiagStepsResult(_stepsCompleted, CleanedUp: true);
    }

    // The runtime refuses such an input at every start (IValidatedWorkflowInput); this check stays
    // so that runs started before that check existed, which failed here, replay as they ran.
    private static void Validate(DiagStepsInput input)
    {
        if (input.Problems() is [_, ..] problems)
        {
            throw new ApplicationFailureException($"diag.steps: {string.Join("; ", problems)}", "InvalidInput", nonRetryable: true);
        }
    }

    private static ActivityOptions Options(int stepMillis, CancellationToken? cancellationToken) => new()
    {
        // Generous per attempt; a lost attempt (crash, hang) is noticed by the heartbeat timeout instead.
        StartToCloseTimeout = TimeSpan.FromMilliseconds(stepMillis) + TimeSpan.FromSeconds(60),
        HeartbeatTimeout = TimeSpan.FromSeconds(5),
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromMilliseconds(200),
            MaximumInterval = TimeSpan.FromSeconds(5),
            MaximumAttempts = 10,
            NonRetryableErrorTypes = [DiagnosticActivities.RequestedFailure],
        },
        CancellationToken = cancellationToken,
    };
}
