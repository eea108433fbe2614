using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>
/// Two runtimes (nodes) on one SQLite file, each with its own manual clock, as in
/// <see cref="LeaseTakeoverTests"/>: a lost lease is noticed at renewal, signals and cancel
/// requests for a run owned elsewhere go through the durable inbox, and queries on a node that
/// does not own the run are answered by a read-only replay of its committed history.
/// </summary>
public sealed class CrossNodeTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan InboxPoll = TimeSpan.FromSeconds(1);
    private readonly string directory = Path.Combine(Path.GetTempPath(), "udc-durable-tests", Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider clockA = new();
    private readonly ManualTimeProvider clockB = new();
    private readonly TestActivities activitiesA = new();
    private readonly TestActivities activitiesB = new();
    private TestHost nodeA = null!;
    private TestHost nodeB = null!;

    public async Task InitializeAsync()
    {
        nodeA = await TestHost.StartAsync(o => Register(o, "node-a", activitiesA), clockA, directory);
        nodeB = await TestHost.StartAsync(o => Register(o, "node-b", activitiesB), clockB, directory);
    }

    public async Task DisposeAsync()
    {
        await nodeA.DisposeAsync();
        await nodeB.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Renewal_notices_a_run_taken_over_elsewhere_and_cancels_its_attempt_without_waiting_for_a_write()
    {
        activitiesA.Close("add:r1:2");
        activitiesB.Close("add:r1:2");
        await nodeA.Client.StartWorkflowAsync("test.steps", new StepsInput("r1", 3), new WorkflowStartOptions { Id = "r1" });
        await Eventually.TrueAsync(() => activitiesA.Journal.Contains("waiting:add:r1:2"), "node A runs step 2");

        clockB.Advance(Lease + TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(() => nodeB.Runtime.TakenOver == 1, "node B took the run over");
        await Eventually.TrueAsync(() => activitiesB.Journal.Contains("waiting:add:r1:2"), "node B re-runs step 2");
        nodeA.Runtime.LostLeases.Should().Be(0, "A has neither renewed nor written since");
        nodeA.Runtime.CachedExecutions.Should().Be(1);

        // A's next renewal, with its step-2 attempt still running (no write that the fence could refuse).
        clockA.Advance(Lease / 3);

        await Eventually.TrueAsync(() => nodeA.Runtime.LostLeases == 1, "A's renewal noticed the run is B's now");
        nodeA.Runtime.CachedExecutions.Should().Be(0, "A dropped the run at once");
        await Eventually.TrueAsync(() => activitiesA.Canceled.Contains("add:r1:2"), "A's in-flight attempt was cancelled locally");
        activitiesB.Canceled.Should().BeEmpty("B's attempt is the one that counts");

        activitiesB.Open("add:r1:2");
        (await nodeB.Client.GetResultAsync<int>("r1").WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(6);
        var history = await nodeB.HistoryAsync("r1");
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskCompleted && e.CommandId == 2).Attempt.Should().Be(2);
        activitiesA.Calls("add:r1:").Should().Equal("add:r1:1", "add:r1:2");
        activitiesA.Calls("cleanup:").Should().BeEmpty();
    }

    [Fact]
    public async Task A_signal_received_by_another_node_reaches_the_owner_through_the_inbox_and_a_query_there_replays_history()
    {
        await nodeA.Client.StartWorkflowAsync("test.signals", 60, new WorkflowStartOptions { Id = "s1" });
        await Eventually.TrueAsync(async () => (await nodeA.HistoryAsync("s1")).Any(e => e.EventType == HistoryEventType.TimerStarted), "s1 waits");

        await nodeB.Client.SignalAsync("s1", "add", "from-b");

        nodeB.Runtime.CachedExecutions.Should().Be(0, "B does not claim a run whose owner's lease holds");
        (await nodeA.HistoryAsync("s1")).Should().NotContain(e => e.EventType == HistoryEventType.WorkflowSignaled, "only the owner appends, at its next inbox read");
        (await nodeA.Store.LoadInboxAsync("node-a")).Should().ContainSingle().Which.ReceivedBy.Should().Be("node-b");

        clockA.Advance(InboxPoll);

        await Eventually.TrueAsync(async () => (await nodeA.Client.QueryAsync<List<string>>("s1", "received")).Count == 1, "the owner applied the signal");
        await Eventually.TrueAsync(() => nodeA.Runtime.InboxDelivered == 1, "A counted the delivery");
        (await nodeA.Store.LoadInboxAsync("node-a")).Should().BeEmpty("the row went with the append's commit");

        // A query on the node that does not own the run replays the committed history in a scratch instance.
        (await nodeB.Client.QueryAsync<List<string>>("s1", "received")).Should().Equal("from-b");
        nodeB.Runtime.CachedExecutions.Should().Be(0, "the query claimed nothing");
        var record = (await nodeB.Store.GetExecutionAsync("s1"))!;
        (record.OwnerId, record.LeaseEpoch).Should().Be(("node-a", 1L), "the query wrote nothing");

        await FluentActions.Awaiting(() => nodeB.Client.SignalAsync("s1", "no-such-signal", "x")).Should().ThrowAsync<ArgumentException>();
        (await nodeA.Store.LoadInboxAsync("node-a")).Should().BeEmpty("a refused signal is not written");

        await nodeB.Client.SignalAsync("s1", "finish");
        clockA.Advance(InboxPoll);
        (await nodeA.Client.GetResultAsync<string>("s1").WaitAsync(TimeSpan.FromSeconds(15))).Should().Be("finished:from-b");
        (await nodeA.HistoryAsync("s1")).Count(e => e.EventType == HistoryEventType.WorkflowSignaled).Should().Be(2);
        await FluentActions.Awaiting(() => nodeB.Client.SignalAsync("s1", "add", "late")).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task A_cancel_request_left_in_the_inbox_of_a_dead_owner_is_delivered_once_by_the_node_that_takes_the_run_over()
    {
        activitiesA.Close("add:c1:2");
        activitiesB.Close("add:c1:2");
        await nodeA.Client.StartWorkflowAsync("test.steps", new StepsInput("c1", 3), new WorkflowStartOptions { Id = "c1" });
        await Eventually.TrueAsync(() => activitiesA.Journal.Contains("waiting:add:c1:2"), "node A runs step 2");

        // A hangs (its clock stands still, so it neither renews nor reads its inbox); B receives the cancel.
        await nodeB.Client.CancelAsync("c1", "operator");
        clockB.Advance(Lease + TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(() => nodeB.Runtime.TakenOver == 1, "node B took the run over");
        clockB.Advance(InboxPoll);

        await Eventually.TrueAsync(async () => (await nodeB.Client.DescribeAsync("c1")).Status == WorkflowExecutionStatus.Canceled, "the run ends cancelled on B");
        var history = await nodeB.HistoryAsync("c1");
        history.Count(e => e.EventType == HistoryEventType.WorkflowCancelRequested).Should().Be(1);
        history.Single(e => e.EventType == HistoryEventType.WorkflowCancelRequested).Details.Should().Be("operator");
        activitiesB.Calls("cleanup:").Should().Equal("cleanup:c1");
        await Eventually.TrueAsync(() => nodeB.Runtime.InboxDelivered == 1, "B counted the delivery");
        (await nodeB.Store.LoadInboxAsync("node-b")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_child_that_closes_on_another_node_than_its_parent_reaches_the_parent_through_the_inbox()
    {
        activitiesA.Close("add:p1-child:1");
        activitiesB.Close("add:p1-child:1");
        await nodeA.Client.StartWorkflowAsync("test.cancelparent", new CancelParentInput("p1", 2), new WorkflowStartOptions { Id = "p1" });
        await Eventually.TrueAsync(() => activitiesA.Journal.Contains("waiting:add:p1-child:1"), "the child runs on A");

        // A stops (leases released); B loads only the child (a client waits for it there); A comes back and claims only the parent.
        await nodeA.StopRuntimeAsync();
        var childResult = nodeB.Client.GetResultAsync<int>("p1-child");
        await Eventually.TrueAsync(() => activitiesB.Journal.Contains("waiting:add:p1-child:1"), "the child runs on B");
        await nodeA.StartRuntimeAsync();
        (await nodeA.Store.GetExecutionAsync("p1"))!.OwnerId.Should().Be("node-a");
        (await nodeA.Store.GetExecutionAsync("p1-child"))!.OwnerId.Should().Be("node-b");

        activitiesB.Open("add:p1-child:1");
        (await childResult.WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(3);
        (await nodeA.Store.LoadInboxAsync("node-a")).Should().ContainSingle("the child's close put its outcome into the parent's inbox")
            .Which.Event.EventType.Should().Be(HistoryEventType.ChildWorkflowExecutionCompleted);

        clockA.Advance(InboxPoll);

        (await nodeA.Client.GetResultAsync<string>("p1").WaitAsync(TimeSpan.FromSeconds(15))).Should().Be("child:3");
        (await nodeA.HistoryAsync("p1")).Count(e => e.EventType == HistoryEventType.ChildWorkflowExecutionCompleted).Should().Be(1);
        await Eventually.TrueAsync(() => nodeA.Runtime.InboxDelivered == 1, "A counted the delivery (after the append's commit)");
    }

    [Fact]
    public async Task The_store_inbox_refuses_closed_runs_and_a_message_is_consumed_only_by_a_write_that_holds_the_lease()
    {
        var store = new SqliteWorkflowStore(Path.Combine(directory, "inbox.db"));
        await using (store)
        {
            await store.InitializeAsync();
            var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var start = new StoreWriteSet();
            start.NewExecutions.Add(new ExecutionRecord("i1", "run-i1", "t", WorkflowExecutionStatus.Running, now, null, null, null, null, null, null, null, "node-a", now.AddSeconds(30)) { LeaseEpoch = 1 });
            start.Events.Add(new StoredEvent("run-i1", new HistoryEvent { EventId = 1, EventType = HistoryEventType.WorkflowExecutionStarted, Timestamp = now, WorkflowType = "t" }));
            await store.CommitAsync([start]);

            (await store.EnqueueInboxAsync(Message("run-i1", "s"))).Should().BeTrue();
            (await store.EnqueueInboxAsync(Message("run-unknown", "s"))).Should().BeFalse();
            var message = (await store.LoadInboxAsync("node-a")).Should().ContainSingle().Subject;
            message.Event.SignalName.Should().Be("s");
            (await store.LoadInboxAsync("node-b")).Should().BeEmpty();

            await store.TakeOverExpiredExecutionsAsync("node-b", now.AddSeconds(31), now.AddSeconds(61));
            var stale = Consume(message, 2, new LeaseFence("run-i1", "node-a", 1));
            var current = Consume(message, 2, new LeaseFence("run-i1", "node-b", 2));
            (await store.CommitAsync([stale])).Should().Equal(false);
            (await store.LoadInboxAsync("node-b")).Should().ContainSingle("a refused write consumes nothing: the new owner delivers it");
            (await store.CommitAsync([current])).Should().Equal(true);
            (await store.LoadInboxAsync("node-b")).Should().BeEmpty();
            (await store.LoadHistoryAsync("run-i1")).Should().HaveCount(2);

            (await store.EnqueueInboxAsync(Message("run-i1", "unread"))).Should().BeTrue();
            var close = new StoreWriteSet { Fence = new LeaseFence("run-i1", "node-b", 2), Close = new ExecutionClose("run-i1", WorkflowExecutionStatus.Completed, now.AddSeconds(40), null, null) };
            await store.CommitAsync([close]);
            (await store.EnqueueInboxAsync(Message("run-i1", "after-close"))).Should().BeFalse();
            (await store.PurgeInboxAsync()).Select(m => m.Event.SignalName).Should().Equal("unread");
            (await store.PurgeInboxAsync()).Should().BeEmpty();
        }
    }

    private static InboxMessage Message(string runId, string signal) =>
        new(0, runId, new HistoryEvent { EventType = HistoryEventType.WorkflowSignaled, SignalName = signal }, DateTime.UtcNow, "node-x");

    private static StoreWriteSet Consume(InboxMessage message, long eventId, LeaseFence fence)
    {
        var set = new StoreWriteSet { Fence = fence };
        set.Events.Add(new StoredEvent(message.RunId, message.Event with { EventId = eventId, Timestamp = DateTime.UtcNow }));
        set.ConsumeInbox.Add(message.MessageId);
        return set;
    }

    private static void Register(DurableRuntimeOptions options, string owner, TestActivities activities)
    {
        options.OwnerId = owner;
        options.LeaseDuration = Lease;
        options.InboxPollInterval = InboxPoll;
        options.AddWorkflow<StepsWorkflow>().AddWorkflow<SignalWorkflow>().AddWorkflow<CancelParentWorkflow>().AddActivities(activities);
    }
}
