using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

public sealed record PolicyInput(
    string Activity,
    string Key,
    int Failures = 0,
    int MaxAttempts = 0,
    string ErrorType = "Transient",
    string[]? NonRetryable = null,
    double? StartToCloseSeconds = 60,
    double? ScheduleToCloseSeconds = null,
    double? HeartbeatSeconds = null,
    int Chunks = 0);

/// <summary>Runs one activity under the policy given in the input and reports how it ended.</summary>
[Workflow("test.policy")]
public sealed class ActivityPolicyWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(PolicyInput input)
    {
        var options = new ActivityOptions
        {
            StartToCloseTimeout = input.StartToCloseSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
            ScheduleToCloseTimeout = input.ScheduleToCloseSeconds is { } c ? TimeSpan.FromSeconds(c) : null,
            HeartbeatTimeout = input.HeartbeatSeconds is { } h ? TimeSpan.FromSeconds(h) : null,
            RetryPolicy = new RetryPolicy
            {
                InitialInterval = TimeSpan.FromSeconds(1),
                BackoffCoefficient = 2,
                MaximumInterval = TimeSpan.FromSeconds(10),
                MaximumAttempts = input.MaxAttempts,
                NonRetryableErrorTypes = input.NonRetryable ?? [],
            },
        };
        try
        {
            return input.Activity switch
            {
                "flaky" => $"ok:{await Workflow.ExecuteActivityAsync((TestActivities a) => a.Flaky(new FlakyInput(input.Key, input.Failures, input.ErrorType)), options)}",
                "gated-flaky" => $"ok:{await Workflow.ExecuteActivityAsync((TestActivities a) => a.GatedFlakyAsync(new FlakyInput(input.Key, input.Failures, input.ErrorType)), options)}",
                "transfer" => $"ok:{await Workflow.ExecuteActivityAsync((TestActivities a) => a.TransferAsync(new TransferInput(input.Key, input.Chunks)), options)}",
                "kill" => $"ok:{await Workflow.ExecuteActivityAsync((TestActivities a) => a.KillNodeAsync(new FlakyInput(input.Key, input.Failures, input.ErrorType)), options)}",
                "missing" => $"ok:{await Workflow.ExecuteActivityAsync<int>("no.such.activity", null, options)}",
                _ => await HangAsync(input.Key, options),
            };
        }
        catch (ActivityFailureException ex)
        {
            var cause = ex.InnerException switch
            {
                TimeoutFailureException t => $"timeout:{t.TimeoutType}",
                ApplicationFailureException a => $"app:{a.ErrorType}",
                CanceledFailureException => "canceled",
                var other => other?.GetType().Name ?? "none",
            };
            return $"failed:{cause}:attempt{ex.Attempt}";
        }
    }

    private static async Task<string> HangAsync(string key, ActivityOptions options)
    {
        await Workflow.ExecuteActivityAsync((TestActivities a) => a.HangAsync(key), options);
        return "ok";
    }
}
