using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

/// <summary>
/// Runs a step until the run is cancelled, then tries to start another step, and returns what the
/// two failures said (their messages and their causes'), so a test can read the words an
/// operator would see on a cancelled run.
/// </summary>
[Workflow("test.cancelwords")]
public sealed class CancelWordsWorkflow
{
    [WorkflowRun]
    public async Task<string[]> RunAsync(string key)
    {
        var said = new List<string>();
        foreach (var step in new[] { 1, 2 })
        {
            try
            {
                await Workflow.ExecuteActivityAsync((TestActivities a) => a.AddAsync(new AddInput(key, step)), StepsWorkflow.Quick);
                said.Add($"step {step} completed");
            }
            catch (ActivityFailureException ex)
            {
                said.Add(ex.Message);
                said.Add(ex.InnerException?.Message ?? "(no cause)");
            }
        }

        return [.. said];
    }
}
