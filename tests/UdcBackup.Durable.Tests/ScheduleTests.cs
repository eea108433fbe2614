using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Schedules;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>Schedules on a manual clock starting 2026-01-05 08:00:00 UTC.</summary>
public sealed class ScheduleTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly TestActivities activities = new();
    private readonly ManualTimeProvider time = new();

    [Fact]
    public async Task Each_firing_starts_one_execution_with_a_deterministic_id()
    {
        await using var host = await StartAsync();
        await host.Runtime.Schedules.CreateAsync(Every("quick", "0 * * * * *", "test.child", new ChildInput("sch", 1, false), ScheduleOverlapPolicy.AllowAll));

        await AdvanceAsync(host, TimeSpan.FromMinutes(3));

        await Eventually.TrueAsync(async () => (await host.Client.ListAsync(new WorkflowListFilter("test.child", WorkflowExecutionStatus.Completed))).Count == 3, "three runs completed");
        var ids = (await host.Client.ListAsync(new WorkflowListFilter("test.child"))).Select(r => r.WorkflowId).Order(StringComparer.Ordinal);
        ids.Should().Equal("quick-20260105T080100Z", "quick-20260105T080200Z", "quick-20260105T080300Z");
        var description = await host.Runtime.Schedules.DescribeAsync("quick", 2);
        description.NextFireTimes.Should().Equal(new DateTime(2026, 1, 5, 8, 4, 0, DateTimeKind.Utc), new DateTime(2026, 1, 5, 8, 5, 0, DateTimeKind.Utc));
        description.RecentActions.Select(a => a.Outcome).Should().Equal("Started", "Started", "Started");
    }

    [Fact]
    public async Task An_alarm_that_rings_a_moment_early_still_takes_its_fire_time_on_time()
    {
        await using var host = await StartAsync();
        await host.Runtime.Schedules.CreateAsync(Every("early", "0 * * * * *", "test.child", new ChildInput("sch", 1, false), ScheduleOverlapPolicy.AllowAll));

        // A real alarm may ring a few milliseconds before its fire time (timers count whole
        // milliseconds of a coarse monotonic clock), and saving the schedule's state after it takes
        // a few more: the fire time must not be lost in between.
        time.TimerEarliness = TimeSpan.FromMilliseconds(2);
        host.Store.BeforeCommit = sets =>
        {
            if (sets.Any(s => s.UpsertSchedule is not null))
            {
                time.Slip(TimeSpan.FromMilliseconds(5));
            }
        };
        await AdvanceAsync(host, TimeSpan.FromMinutes(3));

        var actions = (await host.Runtime.Schedules.DescribeAsync("early")).RecentActions;
        actions.Select(a => (a.ScheduledTime.Minute, a.Outcome)).Should().Equal((1, "Started"), (2, "Started"), (3, "Started"));
        actions.Should().OnlyContain(a => a.ActualTime - a.ScheduledTime < TimeSpan.FromSeconds(1), "each firing is taken when it is due, not at the next alarm");
    }

    [Theory]
    [InlineData(ScheduleOverlapPolicy.Skip, new[] { "Started", "Skipped", "Skipped" }, new[] { "0100" })]
    [InlineData(ScheduleOverlapPolicy.AllowAll, new[] { "Started", "Started", "Started" }, new[] { "0100", "0200", "0300" })]
    public async Task Skip_drops_firings_while_the_previous_run_is_running_and_AllowAll_starts_them_all(ScheduleOverlapPolicy overlap, string[] outcomes, string[] running)
    {
        await using var host = await StartAsync();
        await host.Runtime.Schedules.CreateAsync(Every("over", "0 * * * * *", "test.signals", 600, overlap));

        await AdvanceAsync(host, TimeSpan.FromMinutes(3));

        var description = await host.Runtime.Schedules.DescribeAsync("over");
        description.RecentActions.Select(a => a.Outcome).Should().Equal(outcomes);
        var runningIds = running.Select(t => $"over-20260105T08{t}Z").ToArray();
        description.RunningWorkflowIds.Should().BeEquivalentTo(runningIds);
        (await host.Client.ListAsync(new WorkflowListFilter("test.signals", WorkflowExecutionStatus.Running))).Select(r => r.WorkflowId).Should().BeEquivalentTo(runningIds);
    }

    [Fact]
    public async Task BufferOne_starts_one_waiting_firing_when_the_running_one_closes()
    {
        await using var host = await StartAsync();
        await host.Runtime.Schedules.CreateAsync(Every("buf", "0 * * * * *", "test.signals", 600, ScheduleOverlapPolicy.BufferOne));
        await AdvanceAsync(host, TimeSpan.FromMinutes(3));
        (await host.Runtime.Schedules.DescribeAsync("buf")).RecentActions.Select(a => a.Outcome).Should().Equal("Started", "Buffered", "Skipped");

        await host.Client.SignalAsync("buf-20260105T080100Z", "finish");

        await Eventually.TrueAsync(async () => (await host.Runtime.Schedules.DescribeAsync("buf")).RunningWorkflowIds.SequenceEqual(["buf-20260105T080200Z"]), "buffered firing started");
        (await host.Runtime.Schedules.DescribeAsync("buf")).BufferedFireTime.Should().BeNull();
    }

    [Fact]
    public async Task After_downtime_only_firings_within_the_catch_up_window_are_taken()
    {
        await using var host = await StartAsync();
        await host.Runtime.Schedules.CreateAsync(new ScheduleDefinition("hourly", new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(1))] }, Action("test.child", new ChildInput("c", 1, false)))
        {
            Policy = new SchedulePolicy { Overlap = ScheduleOverlapPolicy.AllowAll, CatchupWindow = TimeSpan.FromMinutes(150) },
        });

        await host.StopRuntimeAsync();
        time.Advance(TimeSpan.FromHours(5));  // down from 08:00 to 13:00: 09..13 missed
        await host.StartRuntimeAsync();

        await Eventually.TrueAsync(async () => (await host.Client.ListAsync(new WorkflowListFilter("test.child", WorkflowExecutionStatus.Completed))).Count == 3, "catch-up runs done");
        var ids = (await host.Client.ListAsync(new WorkflowListFilter("test.child"))).Select(r => r.WorkflowId).Order(StringComparer.Ordinal);
        ids.Should().Equal("hourly-20260105T110000Z", "hourly-20260105T120000Z", "hourly-20260105T130000Z");
        (await host.Runtime.Schedules.DescribeAsync("hourly")).RecentActions[0].Outcome.Should().Be("Missed");
    }

    [Fact]
    public async Task Paused_schedule_does_not_fire_trigger_does_and_delete_removes_it()
    {
        await using var host = await StartAsync();
        await host.Runtime.Schedules.CreateAsync(Every("p", "0 * * * * *", "test.child", new ChildInput("p", 1, false), ScheduleOverlapPolicy.AllowAll));
        await host.Runtime.Schedules.PauseAsync("p", "maintenance window");

        await AdvanceAsync(host, TimeSpan.FromMinutes(2));
        var paused = await host.Runtime.Schedules.DescribeAsync("p");
        paused.Paused.Should().BeTrue();
        paused.Note.Should().Be("maintenance window");
        paused.RecentActions.Should().BeEmpty();

        await host.Runtime.Schedules.TriggerAsync("p");
        (await host.Runtime.Schedules.DescribeAsync("p")).RecentActions.Should().ContainSingle().Which.WorkflowId.Should().Be("p-20260105T080200Z");
        await host.Runtime.Schedules.TriggerAsync("p");
        (await host.Runtime.Schedules.DescribeAsync("p")).RecentActions[^1].Outcome.Should().Be("AlreadyStarted", "the same fire time never starts twice");

        await host.Runtime.Schedules.UnpauseAsync("p", "done");
        await AdvanceAsync(host, TimeSpan.FromMinutes(1));
        (await host.Runtime.Schedules.DescribeAsync("p")).RecentActions[^1].WorkflowId.Should().Be("p-20260105T080300Z", "paused firings are not caught up");

        await host.RestartAsync();
        (await host.Runtime.Schedules.ListAsync()).Should().ContainSingle().Which.Note.Should().Be("done");
        await host.Runtime.Schedules.DeleteAsync("p");
        await FluentActions.Awaiting(() => host.Runtime.Schedules.DescribeAsync("p")).Should().ThrowAsync<ScheduleNotFoundException>();
        await host.RestartAsync();
        (await host.Runtime.Schedules.ListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Creating_with_a_bad_cron_unknown_type_or_existing_id_is_refused()
    {
        await using var host = await StartAsync();
        await FluentActions.Awaiting(() => host.Runtime.Schedules.CreateAsync(Every("bad", "99 * * * *", "test.child", null, ScheduleOverlapPolicy.Skip)))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*99 * * * **");
        await FluentActions.Awaiting(() => host.Runtime.Schedules.CreateAsync(Every("bad", "* * * * *", "no.type", null, ScheduleOverlapPolicy.Skip)))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*no.type*");
        await host.Runtime.Schedules.CreateAsync(Every("dup", "* * * * *", "test.child", new ChildInput("d", 1, false), ScheduleOverlapPolicy.Skip));
        await FluentActions.Awaiting(() => host.Runtime.Schedules.CreateAsync(Every("dup", "* * * * *", "test.child", new ChildInput("d", 1, false), ScheduleOverlapPolicy.Skip)))
            .Should().ThrowAsync<InvalidOperationException>();
        (await host.Runtime.Schedules.ListAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task Update_replaces_spec_action_and_policy_but_keeps_the_schedule_state()
    {
        await using var host = await StartAsync();
        await host.Runtime.Schedules.CreateAsync(Every("keep", "0 * * * * *", "test.signals", 600, ScheduleOverlapPolicy.BufferOne));
        await AdvanceAsync(host, TimeSpan.FromMinutes(2));
        await host.Runtime.Schedules.PauseAsync("keep", "tuning");

        await host.Runtime.Schedules.UpdateAsync(Every("keep", "0 */5 * * * *", "test.signals", 30, ScheduleOverlapPolicy.Skip) with { Paused = false, Note = "ignored" });

        await host.RestartAsync();
        var updated = await host.Runtime.Schedules.DescribeAsync("keep", 2);
        updated.Definition.Spec.CronExpressions.Should().Equal("0 */5 * * * *");
        updated.Definition.Action.Input!.Value.GetInt32().Should().Be(30);
        updated.Definition.Policy.Overlap.Should().Be(ScheduleOverlapPolicy.Skip);
        updated.NextFireTimes.Should().Equal(new DateTime(2026, 1, 5, 8, 5, 0, DateTimeKind.Utc), new DateTime(2026, 1, 5, 8, 10, 0, DateTimeKind.Utc));
        updated.Paused.Should().BeTrue("pausing is its own operation, not part of the definition");
        updated.Note.Should().Be("tuning");
        updated.CreatedAt.Should().Be(new DateTime(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc));
        updated.RecentActions.Select(a => a.Outcome).Should().Equal("Started", "Buffered");
        updated.RunningWorkflowIds.Should().Equal("keep-20260105T080100Z");
        updated.BufferedFireTime.Should().Be(new DateTime(2026, 1, 5, 8, 2, 0, DateTimeKind.Utc));
    }

    [Fact]
    public async Task Update_takes_effect_from_now_without_catching_up_the_new_specs_past_fire_times()
    {
        await using var host = await StartAsync();
        await host.Runtime.Schedules.CreateAsync(new ScheduleDefinition("slow", new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(1))] }, Action("test.child", new ChildInput("s", 1, false)))
        {
            Policy = new SchedulePolicy { Overlap = ScheduleOverlapPolicy.AllowAll },
        });
        await AdvanceAsync(host, TimeSpan.FromMinutes(30));

        await host.Runtime.Schedules.UpdateAsync(Every("slow", "0 * * * * *", "test.child", new ChildInput("s", 1, false), ScheduleOverlapPolicy.AllowAll));
        await AdvanceAsync(host, TimeSpan.FromMinutes(1));

        (await host.Runtime.Schedules.DescribeAsync("slow")).RecentActions.Should().ContainSingle()
            .Which.WorkflowId.Should().Be("slow-20260105T083100Z", "the minutes from 08:01 to 08:30 came before the update");
    }

    [Fact]
    public async Task Updating_an_unknown_schedule_or_with_a_bad_definition_is_refused_and_changes_nothing()
    {
        await using var host = await StartAsync();
        await FluentActions.Awaiting(() => host.Runtime.Schedules.UpdateAsync(Every("nope", "* * * * *", "test.child", new ChildInput("n", 1, false), ScheduleOverlapPolicy.Skip)))
            .Should().ThrowAsync<ScheduleNotFoundException>();
        await host.Runtime.Schedules.CreateAsync(Every("u", "0 * * * * *", "test.child", new ChildInput("u", 1, false), ScheduleOverlapPolicy.Skip));

        await FluentActions.Awaiting(() => host.Runtime.Schedules.UpdateAsync(Every("u", "99 * * * *", "test.child", null, ScheduleOverlapPolicy.Skip)))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*99 * * * **");
        await FluentActions.Awaiting(() => host.Runtime.Schedules.UpdateAsync(Every("u", "* * * * *", "no.type", null, ScheduleOverlapPolicy.Skip)))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*no.type*");

        (await host.Runtime.Schedules.DescribeAsync("u")).Definition.Spec.CronExpressions.Should().Equal("0 * * * * *");
        (await host.Runtime.Schedules.ListAsync()).Should().ContainSingle();
    }

    private static ScheduleDefinition Every(string id, string cron, string type, object? input, ScheduleOverlapPolicy overlap) =>
        new(id, new ScheduleSpec { CronExpressions = [cron] }, Action(type, input)) { Policy = new SchedulePolicy { Overlap = overlap } };

    private static ScheduleWorkflowAction Action(string type, object? input) =>
        new(type, input is null ? null : JsonSerializer.SerializeToElement(input, Web));

    /// <summary>Advances in 30 s steps; after each, waits until every firing due so far was handled.</summary>
    private async Task AdvanceAsync(TestHost host, TimeSpan by)
    {
        for (var t = TimeSpan.Zero; t < by; t += TimeSpan.FromSeconds(30))
        {
            time.Advance(TimeSpan.FromSeconds(30));
            var now = time.GetUtcNow().UtcDateTime;
            await Eventually.TrueAsync(
                async () => (await host.Runtime.Schedules.ListAsync()).All(s => s.Paused || s.RecentActions.Count == 0 || s.RecentActions[^1].ScheduledTime >= new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc)),
                "firings due so far handled");
        }
    }

    private Task<TestHost> StartAsync() =>
        TestHost.StartAsync(o => o.AddWorkflow<ChildWorkflow>().AddWorkflow<SignalWorkflow>().AddActivities(activities), time);
}
