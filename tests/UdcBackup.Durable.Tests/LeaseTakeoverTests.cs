using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>
/// Two runtimes (nodes) on one SQLite file, each with its own clock: node A hangs (its clock, and
/// so its lease renewal, stands still), node B's clock passes A's lease expiry, B takes the runs
/// over and finishes them; A's late write is refused by the fence and A stops driving them.
/// </summary>
public sealed class LeaseTakeoverTests
{
    [Fact]
    public async Task A_node_that_stops_renewing_loses_its_runs_to_another_node_and_its_late_append_is_refused()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (nodeA, nodeB, clockB, activitiesA, activitiesB) = (nodes.A, nodes.B, nodes.ClockB, nodes.ActivitiesA, nodes.ActivitiesB);
        activitiesA.Close("add:l1:2");
        activitiesA.Close("add:l2:2");
        activitiesB.Close("add:l1:2");
        await nodeA.Client.StartWorkflowAsync("test.steps", new StepsInput("l1", 3), new WorkflowStartOptions { Id = "l1" });
        await nodeA.Client.StartWorkflowAsync("test.steps", new StepsInput("l2", 3), new WorkflowStartOptions { Id = "l2" });
        await Eventually.TrueAsync(() => activitiesA.Journal.Contains("waiting:add:l1:2") && activitiesA.Journal.Contains("waiting:add:l2:2"), "node A runs step 2 of both");

        clockB.Advance(TwoNodes.Lease + TimeSpan.FromSeconds(15));

        await Eventually.TrueAsync(() => nodeB.Runtime.TakenOver == 2, "node B took both runs over");
        (await nodeB.Client.GetResultAsync<int>("l2").WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(6, "B recovers by replay and completes the run");
        await Eventually.TrueAsync(() => activitiesB.Journal.Contains("waiting:add:l1:2"), "node B re-runs the interrupted step of l1");
        var recordL1 = (await nodeB.Store.GetExecutionAsync("l1"))!;
        recordL1.OwnerId.Should().Be("node-b");

        // A wakes up: its attempt of step 2 finishes, and its append must not land.
        activitiesA.Open("add:l1:2");
        activitiesA.Open("add:l2:2");
        await Eventually.TrueAsync(() => nodeA.Runtime.LostLeases == 2, "node A's late appends were refused");
        (await nodeA.HistoryAsync("l1")).Where(e => e.CommandId == 2 && e.EventType == HistoryEventType.ActivityTaskCompleted).Should().BeEmpty();
        nodeA.Runtime.CachedExecutions.Should().Be(0, "A stopped driving the runs it lost");

        activitiesB.Open("add:l1:2");
        (await nodeB.Client.GetResultAsync<int>("l1").WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(6);
        var history = await nodeB.HistoryAsync("l1");
        history.Where(e => e.EventType == HistoryEventType.ActivityTaskCompleted).Select(e => e.CommandId).Should().Equal(1, 2, 3, 4);
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskCompleted && e.CommandId == 2).Attempt.Should().Be(2, "A's attempt was lost with its lease; B's counts");
        history.Should().ContainSingle(e => e.EventType == HistoryEventType.ActivityTaskAttemptInterrupted && e.CommandId == 2 && e.Attempt == 1, "the attempt cut by the takeover is recorded, not counted as a failure");
        activitiesA.Calls("add:l1:").Should().Equal("add:l1:1", "add:l1:2");
        activitiesA.Calls("cleanup:").Should().BeEmpty("only the owner runs the finally");
        activitiesB.Calls("cleanup:").Should().BeEquivalentTo("cleanup:l1", "cleanup:l2");
    }

    [Fact]
    public async Task Starting_an_id_that_runs_on_another_node_is_refused_in_the_commit_and_nothing_of_it_runs()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (nodeA, nodeB, activitiesA, activitiesB) = (nodes.A, nodes.B, nodes.ActivitiesA, nodes.ActivitiesB);
        activitiesA.Close("add:dup:1");
        var first = await nodeA.Client.StartWorkflowAsync("test.steps", new StepsInput("dup", 1), new WorkflowStartOptions { Id = "dup" });

        // B does not have the run in memory, so only the store's unique check can refuse it (the start and its first step are one commit).
        await FluentActions.Awaiting(() => nodeB.Client.StartWorkflowAsync("test.steps", new StepsInput("dup", 1), new WorkflowStartOptions { Id = "dup" }))
            .Should().ThrowAsync<WorkflowAlreadyStartedException>();

        nodeB.Runtime.CachedExecutions.Should().Be(0);
        activitiesB.Journal.Should().BeEmpty("the refused run's first activity never started");
        activitiesA.Open("add:dup:1");
        (await nodeA.Client.GetResultAsync<int>("dup").WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(1);
        (await nodeA.Client.DescribeAsync("dup")).RunId.Should().Be(first.RunId);
    }

    [Fact]
    public async Task The_store_refuses_a_set_written_under_a_stale_epoch_inside_the_commit()
    {
        var directory = Path.Combine(Path.GetTempPath(), "udc-durable-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using var store = new SqliteWorkflowStore(Path.Combine(directory, "workflows.db"));
            await store.InitializeAsync();
            var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            await TwoNodes.StartRunAsync(store, "f1", "run-f1", "node-a", now);
            var taken = await store.TakeOverExpiredExecutionsAsync("node-b", now.AddSeconds(31), now.AddSeconds(61));
            taken.Should().ContainSingle().Which.LeaseEpoch.Should().Be(2);

            var late = Signal("run-f1", 2, new LeaseFence("run-f1", "node-a", 1));
            var current = Signal("run-f1", 2, new LeaseFence("run-f1", "node-b", 2));
            var accepted = await store.CommitAsync([late, current]);

            accepted.Should().Equal(false, true);
            late.RejectedByFence.Should().BeTrue();
            current.RejectedByFence.Should().BeFalse();
            (await store.LoadHistoryAsync("run-f1")).Should().HaveCount(2);
            (await store.TakeOverExpiredExecutionsAsync("node-a", now.AddSeconds(40), now.AddSeconds(70))).Should().BeEmpty("node-b's lease holds");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static StoreWriteSet Signal(string runId, long eventId, LeaseFence fence)
    {
        var set = new StoreWriteSet { Fence = fence };
        set.Events.Add(new StoredEvent(runId, new HistoryEvent { EventId = eventId, EventType = HistoryEventType.WorkflowSignaled, Timestamp = DateTime.UtcNow, SignalName = "s" }));
        return set;
    }
}
