using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Schedules;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>
/// Exclusive keys: a start naming a key a running run holds is refused, naming that run, and
/// writes nothing; the key is free once the holder closes; the store decides, so concurrent
/// starts, a restart and another node on the same database see one holder; a schedule's firing
/// refused for a held key is recorded as skipped with the holder.
/// </summary>
public sealed class ExclusiveKeyTests
{
    private readonly TestActivities activities = new();

    [Fact]
    public async Task A_start_naming_a_held_key_is_refused_with_the_holder_and_the_key_is_free_once_the_holder_closes()
    {
        await using var host = await StartAsync();
        var holder = await host.Client.StartWorkflowAsync("test.signals", 600, Keys("holder", "system=a", "system=b"));

        var refused = (await FluentActions.Awaiting(() => host.Client.StartWorkflowAsync("test.signals", 600, Keys("second", "system=c", "system=b")))
            .Should().ThrowAsync<ExclusiveKeyHeldException>()).Which;
        (refused.Key, refused.WorkflowId, refused.RunId, refused.WorkflowType).Should().Be(("system=b", "holder", holder.RunId, "test.signals"));
        refused.Message.Should().Contain("system=b").And.Contain("test.signals run holder");
        (await host.Store.GetExecutionAsync("second")).Should().BeNull("a refused start writes nothing");
        (await host.Client.StartWorkflowAsync("test.signals", 600, Keys("other", "system=c"))).Id.Should().Be("other", "a key nobody holds is free");
        (await host.Client.StartWorkflowAsync("test.signals", 600, new WorkflowStartOptions { Id = "keyless" })).Id.Should().Be("keyless", "a start without keys is never refused for them");

        await holder.SignalAsync("finish");
        await holder.GetResultAsync();

        var again = await host.Client.StartWorkflowAsync("test.signals", 600, Keys("second", "system=b"));
        again.Id.Should().Be("second", "the close released the holder's keys in its own commit");
    }

    [Fact]
    public async Task Of_many_starts_at_once_with_one_key_exactly_one_starts()
    {
        await using var host = await StartAsync();

        var starts = Enumerable.Range(0, 12).Select(i => Outcome(host.Client.StartWorkflowAsync("test.signals", 600, Keys($"race{i}", "system=a")))).ToList();
        var outcomes = await Task.WhenAll(starts);

        outcomes.Count(o => o is null).Should().Be(1, "one start holds the key");
        var winner = (await host.Client.ListAsync(new WorkflowListFilter("test.signals", WorkflowExecutionStatus.Running))).Should().ContainSingle().Subject;
        outcomes.OfType<ExclusiveKeyHeldException>().Should().HaveCount(11).And.OnlyContain(e => e.WorkflowId == winner.WorkflowId);
    }

    [Fact]
    public async Task A_held_key_survives_a_restart_and_holds_against_another_node_on_the_same_database()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await nodes.A.Client.StartWorkflowAsync("test.signals", 600, Keys("held", "system=a"));

        await FluentActions.Awaiting(() => nodes.B.Client.StartWorkflowAsync("test.signals", 600, Keys("elsewhere", "system=a")))
            .Should().ThrowAsync<ExclusiveKeyHeldException>().Where(e => e.WorkflowId == "held");

        await nodes.A.RestartAsync();
        await FluentActions.Awaiting(() => nodes.A.Client.StartWorkflowAsync("test.signals", 600, Keys("after-restart", "system=a")))
            .Should().ThrowAsync<ExclusiveKeyHeldException>().Where(e => e.WorkflowId == "held");

        await nodes.A.Client.SignalAsync("held", "finish");
        await nodes.A.Client.GetResultAsync<string>("held");
        (await nodes.B.Client.StartWorkflowAsync("test.signals", 600, Keys("elsewhere", "system=a"))).Id.Should().Be("elsewhere");
    }

    [Fact]
    public async Task A_schedule_firing_while_its_key_is_held_is_skipped_naming_the_holder_and_the_next_one_starts()
    {
        var time = new ManualTimeProvider();
        await using var host = await StartAsync(time);
        var holder = await host.Client.StartWorkflowAsync("test.signals", 6000, Keys("by-hand", "system=a"));
        var action = new ScheduleWorkflowAction("test.child", JsonSerializer.SerializeToElement(new ChildInput("g", 1, false))) { ExclusiveKeys = ["system=a"] };
        await host.Runtime.Schedules.CreateAsync(new ScheduleDefinition("guarded", new ScheduleSpec { CronExpressions = ["0 * * * * *"] }, action) { Policy = new SchedulePolicy { Overlap = ScheduleOverlapPolicy.AllowAll } });

        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(async () => (await host.Runtime.Schedules.DescribeAsync("guarded")).RecentActions.Count == 1, "the first firing was handled", 60_000);

        var skipped = (await host.Runtime.Schedules.DescribeAsync("guarded")).RecentActions.Should().ContainSingle().Subject;
        (skipped.Outcome, skipped.WorkflowId).Should().Be(("Skipped", (string?)null));
        skipped.Message.Should().Be($"system=a is held by test.signals run by-hand (started {time.GetUtcNow().UtcDateTime.AddMinutes(-1):yyyy-MM-dd HH:mm:ss}Z); nothing was started.");
        (await host.Client.ListAsync(new WorkflowListFilter("test.child"))).Should().BeEmpty();

        await holder.SignalAsync("finish");
        await holder.GetResultAsync();
        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(async () => (await host.Runtime.Schedules.DescribeAsync("guarded")).RecentActions.Count == 2, "the second firing was handled", 60_000);
        (await host.Runtime.Schedules.DescribeAsync("guarded")).RecentActions[^1].Outcome.Should().Be("Started");
    }

    private static WorkflowStartOptions Keys(string id, params string[] keys) => new() { Id = id, ExclusiveKeys = keys };

    private static async Task<Exception?> Outcome(Task start)
    {
        try
        {
            await start;
            return null;
        }
        catch (ExclusiveKeyHeldException e)
        {
            return e;
        }
    }

    private Task<TestHost> StartAsync(ManualTimeProvider? time = null) =>
        TestHost.StartAsync(o => o.AddWorkflow<ChildWorkflow>().AddWorkflow<SignalWorkflow>().AddActivities(activities), time);
}
