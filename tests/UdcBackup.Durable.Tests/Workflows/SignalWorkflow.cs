using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Tests.Workflows;

/// <summary>Collects signals until "finish" arrives or an hour passes without it.</summary>
[Workflow("test.signals")]
public sealed class SignalWorkflow
{
    private readonly List<string> received = [];
    private bool finished;

    [WorkflowQuery("received")]
    public IReadOnlyList<string> Received => received;

    [WorkflowQuery("countWith")]
    public int CountWith(string prefix) => received.Count(r => r.StartsWith(prefix, StringComparison.Ordinal));

    [WorkflowSignal("add")]
    public void Add(string value) => received.Add(value);

    [WorkflowSignal("finish")]
    public Task FinishAsync()
    {
        finished = true;
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task<string> RunAsync(int timeoutMinutes)
    {
        var ok = await Workflow.WaitConditionAsync(() => finished, TimeSpan.FromMinutes(timeoutMinutes));
        return (ok ? "finished:" : "timeout:") + string.Join(",", received);
    }
}
