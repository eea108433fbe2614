using System.Collections.Concurrent;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Workflows.Tests.Flow;

/// <summary>
/// Activities for interpreter tests: <c>test.step</c> journals its name and returns it with its
/// value; names in <see cref="Fail"/> fail without retry, names in <see cref="FailTimes"/> fail
/// that many attempts first, names in <see cref="Hang"/> wait until cancelled or released.
/// </summary>
public sealed class FlowTestActivities
{
    private readonly ConcurrentQueue<string> _journal = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();

    public IReadOnlyList<string> Journal => _journal.ToList();

    public ConcurrentBag<string> Fail { get; } = [];

    public ConcurrentDictionary<string, int> FailTimes { get; } = new();

    public void Hang(string name) => _gates[name] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string name)
    {
        if (_gates.TryRemove(name, out var gate))
        {
            gate.TrySetResult();
        }
    }

    [Activity("test.step")]
    public async Task<StepOutput> StepAsync(StepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ActivityExecutionContext.Current;
        _journal.Enqueue(input.Name);
        if (Fail.Contains(input.Name))
        {
            throw new ApplicationFailureException($"{input.Name} failed on purpose", "TestFailure", nonRetryable: true);
        }

        if (FailTimes.TryGetValue(input.Name, out var left) && left > 0)
        {
            FailTimes[input.Name] = left - 1;
            throw new InvalidOperationException($"{input.Name}: transient failure");
        }

        if (_gates.TryGetValue(input.Name, out var gate))
        {
            context.Heartbeat(50);
            await gate.Task.WaitAsync(context.CancellationToken);
        }

        return new StepOutput(input.Name, input.Value);
    }
}
