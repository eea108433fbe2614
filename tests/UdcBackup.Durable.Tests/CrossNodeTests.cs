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
    private static readonly TimeSpan Lease = TwoNodes.Lease;
    private static readonly TimeSpan InboxPoll = TwoNodes.InboxPoll;
    private TwoNodes nodes = null!;

    private TestHost NodeA => nodes.A;

    private TestHost NodeB => nodes.B;

    private ManualTimeProvider ClockA => nodes.ClockA;

    private ManualTimeProvider ClockB => nodes.ClockB;

    private TestActivities ActivitiesA => nodes.ActivitiesA;

    private TestActivities ActivitiesB => nodes.ActivitiesB;

    public async Task InitializeAsync() => nodes = await TwoNodes.StartAsync();

    public async Task DisposeAsync() => await nodes.DisposeAsync();

    [Fact]
    public async Task Renewal_notices_a_run_taken_over_elsewhere_and_cancels_its_attempt_without_waiting_for_a_write()
    {
        ActivitiesA.Close("add:r1:2");
        ActivitiesB.Close("add:r1:2");
        await NodeA.Client.StartWorkflowAsync("test.steps", new StepsInput("r1", 3), new WorkflowStartOptions { Id = "r1" });
        await Eventually.TrueAsync(() => ActivitiesA.Journal.Contains("waiting:add:r1:2"), "node A runs step 2");

        ClockB.Advance(Lease + TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(() => NodeB.Runtime.TakenOver == 1, "node B took the run over");
        await Eventually.TrueAsync(() => ActivitiesB.Journal.Contains("waiting:add:r1:2"), "node B re-runs step 2");
        NodeA.Runtime.LostLeases.Should().Be(0, "A has neither renewed nor written since");
        NodeA.Runtime.CachedExecutions.Should().Be(1);

        // A's next renewal, with its step-2 attempt still running (no write that the fence could refuse).
        ClockA.Advance(Lease / 3);

        await Eventually.TrueAsync(() => NodeA.Runtime.LostLeases == 1, "A's renewal noticed the run is B's now");
        NodeA.Runtime.CachedExecutions.Should().Be(0, "A dropped the run at once");
        await Eventually.TrueAsync(() => ActivitiesA.Canceled.Contains("add:r1:2"), "A's in-flight attempt was cancelled locally");
        ActivitiesB.Canceled.Should().BeEmpty("B's attempt is the one that counts");

        ActivitiesB.Open("add:r1:2");
        (await NodeB.Client.GetResultAsync<int>("r1").WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(6);
        var history = await NodeB.HistoryAsync("r1");
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskCompleted && e.CommandId == 2).Attempt.Should().Be(2);
        ActivitiesA.Calls("add:r1:").Should().Equal("add:r1:1", "add:r1:2");
        ActivitiesA.Calls("cleanup:").Should().BeEmpty();
    }

    [Fact]
    public async Task A_retry_whose_start_the_fence_refuses_never_runs_on_the_node_that_lost_the_run()
    {
        await NodeA.Client.StartWorkflowAsync("test.policy", new PolicyInput("flaky", "f1", Failures: 1), new WorkflowStartOptions { Id = "f1" });
        await Eventually.TrueAsync(async () => (await NodeA.Store.LoadActivityTasksAsync(null)).Any(t => t.Attempt == 2 && t.NextAttemptTime is not null), "A's retry of attempt 1 in the store");

        ClockB.Advance(Lease + TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(() => ActivitiesB.Journal.Contains("flaky:f1:1:2"), "node B took the run over and ran attempt 2");

        // A's retry timer fires while A still caches the run: its start is refused by the fence.
        ClockA.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => NodeA.Runtime.LostLeases == 1, "A's start of attempt 2 was refused and A dropped the run");
        ActivitiesA.Calls("flaky:f1:").Should().Equal(["flaky:f1:1:1"], "an attempt whose start is not in the store never runs");

        // B's retry of attempt 2 may have run already: B can take over while ClockB.Advance above is
        // still walking its timers (the lease tick's clock, not the target's), and a retry armed then
        // fires within the same walk. Else it waits for B's clock: step it until the run closes.
        var result = NodeB.Client.GetResultAsync<string>("f1");
        await Eventually.TrueAsync(
            () =>
            {
                if (!result.IsCompleted)
                {
                    ClockB.Advance(TimeSpan.FromSeconds(1));
                }

                return result.IsCompleted;
            },
            "B ran its retry of attempt 2");
        (await result).Should().Be("ok:2");
        var history = await NodeB.HistoryAsync("f1");
        history.Should().NotContain(e => e.EventType == HistoryEventType.ActivityTaskAttemptInterrupted, "attempt 2 started once, on B");
        history.Single(e => e.EventType == HistoryEventType.ActivityTaskCompleted).Attempt.Should().Be(3);
    }

    [Fact]
    public async Task Two_cancel_requests_through_the_inbox_are_recorded_once_and_a_later_one_answers_with_it()
    {
        await NodeA.Client.StartWorkflowAsync("test.signals", 60, new WorkflowStartOptions { Id = "cc" });
        await Eventually.TrueAsync(async () => (await NodeA.HistoryAsync("cc")).Any(e => e.EventType == HistoryEventType.TimerStarted), "cc waits", 60_000);

        // Both reach node A's inbox before it reads it: neither node can see the other in history yet.
        await NodeB.Client.CancelAsync("cc", "requested by alice");
        await NodeB.Client.CancelAsync("cc", "requested by bob");
        (await NodeA.Store.LoadInboxAsync("node-a")).Should().HaveCount(2);

        ClockA.Advance(InboxPoll);
        await FluentActions.Awaiting(() => NodeA.Client.GetResultAsync<string>("cc")).Should().ThrowAsync<UdcBackup.Durable.Failures.WorkflowFailedException>();

        var requests = (await NodeA.HistoryAsync("cc")).Where(e => e.EventType == HistoryEventType.WorkflowCancelRequested).ToList();
        // The owner delivers inbox messages concurrently: either may be the one appended.
        requests.Should().ContainSingle("the owner consumed the other request without appending it").Which.Details.Should().BeOneOf("requested by alice", "requested by bob");
        (await NodeA.Store.LoadInboxAsync("node-a")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_signal_received_by_another_node_reaches_the_owner_through_the_inbox_and_a_query_there_replays_history()
    {
        await NodeA.Client.StartWorkflowAsync("test.signals", 60, new WorkflowStartOptions { Id = "s1" });
        await Eventually.TrueAsync(async () => (await NodeA.HistoryAsync("s1")).Any(e => e.EventType == HistoryEventType.TimerStarted), "s1 waits");

        await NodeB.Client.SignalAsync("s1", "add", "from-b");

        NodeB.Runtime.CachedExecutions.Should().Be(0, "B does not claim a run whose owner's lease holds");
        (await NodeA.HistoryAsync("s1")).Should().NotContain(e => e.EventType == HistoryEventType.WorkflowSignaled, "only the owner appends, at its next inbox read");
        (await NodeA.Store.LoadInboxAsync("node-a")).Should().ContainSingle().Which.ReceivedBy.Should().Be("node-b");

        ClockA.Advance(InboxPoll);

        await Eventually.TrueAsync(async () => (await NodeA.Client.QueryAsync<List<string>>("s1", "received")).Count == 1, "the owner applied the signal");
        await Eventually.TrueAsync(() => NodeA.Runtime.InboxDelivered == 1, "A counted the delivery");
        (await NodeA.Store.LoadInboxAsync("node-a")).Should().BeEmpty("the row went with the append's commit");

        // A query on the node that does not own the run replays the committed history in a scratch instance.
        (await NodeB.Client.QueryAsync<List<string>>("s1", "received")).Should().Equal("from-b");
        NodeB.Runtime.CachedExecutions.Should().Be(0, "the query claimed nothing");
        var record = (await NodeB.Store.GetExecutionAsync("s1"))!;
        (record.OwnerId, record.LeaseEpoch).Should().Be(("node-a", 1L), "the query wrote nothing");

        await FluentActions.Awaiting(() => NodeB.Client.SignalAsync("s1", "no-such-signal", "x")).Should().ThrowAsync<ArgumentException>();
        (await NodeA.Store.LoadInboxAsync("node-a")).Should().BeEmpty("a refused signal is not written");

        await NodeB.Client.SignalAsync("s1", "finish");
        ClockA.Advance(InboxPoll);
        (await NodeA.Client.GetResultAsync<string>("s1").WaitAsync(TimeSpan.FromSeconds(15))).Should().Be("finished:from-b");
        (await NodeA.HistoryAsync("s1")).Count(e => e.EventType == HistoryEventType.WorkflowSignaled).Should().Be(2);
        await FluentActions.Awaiting(() => NodeB.Client.SignalAsync("s1", "add", "late")).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task A_cancel_request_left_in_the_inbox_of_a_dead_owner_is_delivered_once_by_the_node_that_takes_the_run_over()
    {
        ActivitiesA.Close("add:c1:2");
        ActivitiesB.Close("add:c1:2");
        await NodeA.Client.StartWorkflowAsync("test.steps", new StepsInput("c1", 3), new WorkflowStartOptions { Id = "c1" });
        await Eventually.TrueAsync(() => ActivitiesA.Journal.Contains("waiting:add:c1:2"), "node A runs step 2");

        // A hangs (its clock stands still, so it neither renews nor reads its inbox); B receives the cancel.
        await NodeB.Client.CancelAsync("c1", "operator");
        ClockB.Advance(Lease + TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(() => NodeB.Runtime.TakenOver == 1, "node B took the run over");

        // One poll per check: TakenOver is raised before B has loaded the run (RecoverRunsAsync), so
        // a single poll could come before the run was there and leave the cancel unread with the
        // clock standing still (seen once in 10 runs under load). Later polls must find it gone:
        // the count below stays one.
        await Eventually.TrueAsync(
            async () =>
            {
                ClockB.Advance(InboxPoll);
                return (await NodeB.Client.DescribeAsync("c1")).Status == WorkflowExecutionStatus.Canceled;
            },
            "the run ends cancelled on B");
        var history = await NodeB.HistoryAsync("c1");
        history.Count(e => e.EventType == HistoryEventType.WorkflowCancelRequested).Should().Be(1);
        history.Single(e => e.EventType == HistoryEventType.WorkflowCancelRequested).Details.Should().Be("operator");
        ActivitiesB.Calls("cleanup:").Should().Equal("cleanup:c1");
        await Eventually.TrueAsync(() => NodeB.Runtime.InboxDelivered == 1, "B counted the delivery");
        (await NodeB.Store.LoadInboxAsync("node-b")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_child_that_closes_on_another_node_than_its_parent_reaches_the_parent_through_the_inbox()
    {
        ActivitiesA.Close("add:p1-child:1");
        ActivitiesB.Close("add:p1-child:1");
        await NodeA.Client.StartWorkflowAsync("test.cancelparent", new CancelParentInput("p1", 2), new WorkflowStartOptions { Id = "p1" });
        await Eventually.TrueAsync(() => ActivitiesA.Journal.Contains("waiting:add:p1-child:1"), "the child runs on A");

        // A stops (leases released); B loads only the child (a client waits for it there); A comes back and claims only the parent.
        await NodeA.StopRuntimeAsync();
        var childResult = NodeB.Client.GetResultAsync<int>("p1-child");
        await Eventually.TrueAsync(() => ActivitiesB.Journal.Contains("waiting:add:p1-child:1"), "the child runs on B");
        await NodeA.StartRuntimeAsync();
        (await NodeA.Store.GetExecutionAsync("p1"))!.OwnerId.Should().Be("node-a");
        (await NodeA.Store.GetExecutionAsync("p1-child"))!.OwnerId.Should().Be("node-b");

        ActivitiesB.Open("add:p1-child:1");
        (await childResult.WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(3);
        (await NodeA.Store.LoadInboxAsync("node-a")).Should().ContainSingle("the child's close put its outcome into the parent's inbox")
            .Which.Event.EventType.Should().Be(HistoryEventType.ChildWorkflowExecutionCompleted);

        ClockA.Advance(InboxPoll);

        (await NodeA.Client.GetResultAsync<string>("p1").WaitAsync(TimeSpan.FromSeconds(15))).Should().Be("child:3");
        (await NodeA.HistoryAsync("p1")).Count(e => e.EventType == HistoryEventType.ChildWorkflowExecutionCompleted).Should().Be(1);
        await Eventually.TrueAsync(() => NodeA.Runtime.InboxDelivered == 1, "A counted the delivery (after the append's commit)");
    }

    [Fact]
    public async Task The_store_inbox_refuses_closed_runs_and_a_message_is_consumed_only_by_a_write_that_holds_the_lease()
    {
        var store = new SqliteWorkflowStore(Path.Combine(nodes.Directory, "inbox.db"));
        await using (store)
        {
            await store.InitializeAsync();
            var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            await TwoNodes.StartRunAsync(store, "i1", "run-i1", "node-a", now);

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
}
