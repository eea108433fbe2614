using System.Collections.Concurrent;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Durable.Tests.Workflows;

public sealed record AddInput(string Key, int Value);

public sealed record FlakyInput(string Key, int Failures, string ErrorType = "Transient");

public sealed record TransferInput(string Key, int Chunks);

/// <summary>Activities for tests: they journal every call and can be held at a gate to simulate long or stuck work.</summary>
public sealed class TestActivities
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> gates = new();
    private readonly ConcurrentDictionary<string, int> attempts = new();

    public ConcurrentQueue<string> Journal { get; } = new();

    /// <summary>Gets the gates whose waiting attempt was cancelled (its token fired), in order.</summary>
    public ConcurrentQueue<string> Canceled { get; } = new();

    public IEnumerable<string> Calls(string prefix) => Journal.Where(j => j.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Makes the next call reaching <paramref name="name"/> wait until <see cref="Open"/>.</summary>
    public void Close(string name) => gates[name] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open(string name)
    {
        if (gates.TryRemove(name, out var gate))
        {
            gate.TrySetResult();
        }
    }

    public int AttemptsOf(string key) => attempts.GetValueOrDefault(key);

    /// <summary>Gets or sets what <see cref="KillNodeAsync"/> does to its node (a test cuts the host's store, as a kill would).</summary>
    public Action? KillNode { get; set; }

    [Activity("test.add")]
    public async Task<int> AddAsync(AddInput input)
    {
        Journal.Enqueue($"add:{input.Key}:{input.Value}");
        await PassGateAsync($"add:{input.Key}:{input.Value}");
        return input.Value;
    }

    [Activity("test.cleanup")]
    public async Task CleanupAsync(string key)
    {
        await PassGateAsync($"cleanup:{key}");
        Journal.Enqueue($"cleanup:{key}");
    }

    [Activity("test.flaky")]
    public int Flaky(FlakyInput input)
    {
        var attempt = attempts.AddOrUpdate(input.Key, 1, (_, n) => n + 1);
        Journal.Enqueue($"flaky:{input.Key}:{attempt}:{ActivityExecutionContext.Current.Info.Attempt}");
        if (attempt <= input.Failures)
        {
            throw new ApplicationFailureException($"failure {attempt}", input.ErrorType);
        }

        return attempt;
    }

    /// <summary>Waits at gate <c>gflaky:KEY</c> (where a stopped node cuts it short), then fails like <see cref="Flaky"/>.</summary>
    [Activity("test.gated-flaky")]
    public async Task<int> GatedFlakyAsync(FlakyInput input)
    {
        await PassGateAsync($"gflaky:{input.Key}");
        return Flaky(input);
    }

    [Activity("test.hang")]
    public async Task HangAsync(string key)
    {
        var ctx = ActivityExecutionContext.Current;
        Journal.Enqueue($"hang:{key}:{ctx.Info.Attempt}");
        await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken);
    }

    /// <summary>
    /// Fails its first <c>Failures</c> attempts like <see cref="Flaky"/>; every later attempt kills
    /// its node the moment it starts (a crash-looping native library, an OOM kill at start) and
    /// then waits, as the code of a killed process never returns.
    /// </summary>
    [Activity("test.kill-node")]
    public async Task<int> KillNodeAsync(FlakyInput input)
    {
        var ctx = ActivityExecutionContext.Current;
        Journal.Enqueue($"kill:{input.Key}:{ctx.Info.Attempt}");
        if (ctx.Info.Attempt <= input.Failures)
        {
            throw new ApplicationFailureException($"failure {ctx.Info.Attempt}", input.ErrorType);
        }

        (KillNode ?? throw new InvalidOperationException("Set KillNode before running test.kill-node."))();
        await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken);
        return ctx.Info.Attempt;
    }

    /// <summary>Copies chunks, heartbeating the next chunk to copy; a retried attempt resumes from the last heartbeat.</summary>
    [Activity("test.transfer")]
    public async Task<string> TransferAsync(TransferInput input)
    {
        var ctx = ActivityExecutionContext.Current;
        var from = ctx.GetHeartbeatDetails<int?>() ?? 0;
        Journal.Enqueue($"transfer:{input.Key}:attempt{ctx.Info.Attempt}:from{from}");
        for (var chunk = from; chunk < input.Chunks; chunk++)
        {
            await PassGateAsync($"transfer:{input.Key}:{chunk}", ctx.CancellationToken);
            Journal.Enqueue($"chunk:{input.Key}:{chunk}");
            ctx.Heartbeat(chunk + 1);
        }

        return $"from{from}";
    }

    private async Task PassGateAsync(string name, CancellationToken cancellationToken = default)
    {
        if (gates.TryGetValue(name, out var gate))
        {
            Journal.Enqueue($"waiting:{name}");
            try
            {
                await gate.Task.WaitAsync(cancellationToken.CanBeCanceled ? cancellationToken : ActivityExecutionContext.Current.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                Canceled.Enqueue(name);
                throw;
            }
        }
    }
}
