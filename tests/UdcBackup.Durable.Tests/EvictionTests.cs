using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

public sealed class EvictionTests
{
    private readonly TestActivities activities = new();

    [Fact]
    public async Task Idle_executions_beyond_the_cache_limit_are_evicted_and_replayed_on_their_next_event()
    {
        var time = new ManualTimeProvider();
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddWorkflow<TimerWorkflow>().AddWorkflow<SignalWorkflow>().AddActivities(activities);
                o.MaxCachedExecutions = 1;
                o.CacheSweepInterval = TimeSpan.FromSeconds(10);
            },
            time);
        for (var i = 1; i <= 3; i++)
        {
            await host.Client.StartWorkflowAsync("test.timer", new TimerInput($"e{i}", 1), new WorkflowStartOptions { Id = $"e{i}" });
        }

        await host.Client.StartWorkflowAsync("test.signals", 600, new WorkflowStartOptions { Id = "sig" });
        await Eventually.TrueAsync(async () => (await host.Store.LoadTimersAsync(null, "test-node")).Count == 4, "all waiting on timers");

        // Each sweep (every 10 s of the clock) evicts what is idle by then.
        await Eventually.TrueAsync(
            () =>
            {
                time.Advance(TimeSpan.FromSeconds(10));
                return host.Runtime.CachedExecutions == 1;
            },
            "three idle runs evicted");

        // A signal and a query reach an evicted run; the signal loads it back.
        (await host.Client.QueryAsync<List<string>>("sig", "received")).Should().BeEmpty();
        await host.Client.SignalAsync("sig", "add", "x");
        await host.Client.SignalAsync("sig", "finish");
        (await host.Client.GetResultAsync<string>("sig").WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("finished:x");

        // Timers of evicted runs still fire; each run is loaded, continues and completes.
        time.Advance(TimeSpan.FromDays(1));
        for (var i = 1; i <= 3; i++)
        {
            await host.Client.GetResultAsync<DateTime[]>($"e{i}").WaitAsync(TimeSpan.FromSeconds(10));
            (await host.HistoryAsync($"e{i}")).Should().ContainSingle(e => e.EventType == HistoryEventType.TimerFired);
        }

        activities.Calls("add:e").Should().HaveCount(3);
    }
}
