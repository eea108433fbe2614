using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Workflows.Flow;
using UdcBackup.Workflows.Tests.Support;
using static UdcBackup.Workflows.Tests.Flow.FlowBuilder;

namespace UdcBackup.Workflows.Tests.Flow;

/// <summary>
/// The <c>flow</c> interpreter on the real durable runtime (SQLite store): the order it runs
/// nodes in, parallel branches meeting at their join, if/else, for-each over a zone of the site,
/// cleanups after a failure and after a cancel, approval by signal, retries per node options,
/// and a crash in the middle of a flow that recovery finishes.
/// </summary>
public sealed class FlowInterpreterTests : IAsyncLifetime
{
    private FlowHost _host = null!;

    public async Task InitializeAsync() => _host = await FlowHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Runs_a_chain_in_order_and_returns_every_output_by_node()
    {
        var flow = Build("chain", [Step("a", 1), Step("b", 2), Step("c", 3)], "start>a", "a>b", "b>c");
        var id = await _host.StartFlowAsync(flow);

        var result = await _host.Client.GetResultAsync<JsonElement>(id).WaitAsync(TimeSpan.FromSeconds(30));

        _host.Activities.Journal.Should().Equal("a", "b", "c");
        result.GetProperty("b").GetProperty("value").GetInt32().Should().Be(2);
        (await _host.NodesAsync(id)).Values.Select(n => n.State).Should().AllBe("done");
    }

    [Fact]
    public async Task Parallel_branches_run_at_once_and_the_flow_goes_on_after_the_join()
    {
        _host.Activities.Hang("x");
        var flow = Build(
            "par",
            [Control("par", FlowKinds.Parallel), Step("x"), Step("y"), Control("join", FlowKinds.Join), Step("z")],
            "start>par", "par:branch>x", "par:branch>y", "x>join", "y>join", "join>z");
        var id = await _host.StartFlowAsync(flow);

        // y finishes while x still runs: the branches are concurrent, and z waits for the join.
        await Eventually.TrueAsync(() => _host.Activities.Journal.Contains("y") && _host.Activities.Journal.Contains("x"), "both branches started");
        await _host.WaitNodeAsync(id, "y", "done");
        (await _host.NodesAsync(id))["z"].State.Should().Be("waiting");
        _host.Activities.Release("x");

        (await _host.WaitClosedAsync(id)).Status.Should().Be(WorkflowExecutionStatus.Completed);
        _host.Activities.Journal[^1].Should().Be("z");
        (await _host.NodesAsync(id))["join"].State.Should().Be("done");
    }

    [Fact]
    public async Task If_takes_the_branch_its_condition_chooses_and_skips_the_other()
    {
        var flow = Build(
            "branch",
            [Step("a", 7), Control("if", FlowKinds.If, new { condition = "nodes.a.output.value > 5 && flow.input.mode == 'full'" }), Step("big"), Step("small"), Step("after")],
            "start>a", "a>if", "if:then>big", "if:else>small", "if>after");
        var id = await _host.StartFlowAsync(flow, inputs: new { mode = "full" });

        (await _host.WaitClosedAsync(id)).Status.Should().Be(WorkflowExecutionStatus.Completed);

        _host.Activities.Journal.Should().Equal("a", "big", "after");
        var nodes = await _host.NodesAsync(id);
        nodes["small"].State.Should().Be("skipped");
        nodes["if"].Error.Should().Be("then");
    }

    [Fact]
    public async Task For_each_runs_the_body_once_per_system_of_the_zone_from_the_site_in_the_input()
    {
        var site = new FlowSite(
            3,
            [System("db-2", "dmz"), System("db-1", "dmz"), System("web-1", "office"), System("db-3", "dmz")],
            [],
            []);
        var flow = Build(
            "each",
            [Control("each", FlowKinds.ForEach, new { source = "zone", value = "dmz", variable = "system", parallelism = 2 }), StepNamed("visit", "vars.system"), Step("done")],
            "start>each", "each:body>visit", "each>done");
        var id = await _host.StartFlowAsync(flow, site);

        var result = await _host.Client.GetResultAsync<JsonElement>(id).WaitAsync(TimeSpan.FromSeconds(30));

        _host.Activities.Journal.Take(3).Should().BeEquivalentTo("db-1", "db-2", "db-3");
        _host.Activities.Journal[^1].Should().Be("done");
        result.GetProperty("visit").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("db-1", "db-2", "db-3");
        (await _host.NodesAsync(id))["visit"].Runs.Should().Be(3);
    }

    [Fact]
    public async Task Finally_runs_after_a_failure_and_the_failure_ends_the_run()
    {
        _host.Activities.Fail.Add("boom");
        var flow = Build(
            "cleanup",
            [Control("try", FlowKinds.Try), Step("open"), Step("boom"), Step("never"), Step("close"), Step("after")],
            "start>try", "try:body>open", "open>boom", "boom>never", "try:finally>close", "try>after");
        var id = await _host.StartFlowAsync(flow);

        var closed = await _host.WaitClosedAsync(id);

        closed.Status.Should().Be(WorkflowExecutionStatus.Failed);
        closed.Failure!.ToString().Should().Contain("boom failed on purpose");
        _host.Activities.Journal.Should().Equal("open", "boom", "close");
        var nodes = await _host.NodesAsync(id);
        nodes["boom"].State.Should().Be("failed");
        nodes["close"].State.Should().Be("done");
        nodes["never"].State.Should().Be("skipped");
        nodes["after"].State.Should().Be("skipped");
    }

    [Fact]
    public async Task Finally_runs_after_a_cancel_and_the_run_ends_cancelled()
    {
        _host.Activities.Hang("work");
        var flow = Build(
            "cancel",
            [Control("try", FlowKinds.Try), Step("work"), Step("close")],
            "start>try", "try:body>work", "try:finally>close");
        var id = await _host.StartFlowAsync(flow);
        await Eventually.TrueAsync(() => _host.Activities.Journal.Contains("work"), "work started");

        await _host.Client.CancelAsync(id, "operator");

        (await _host.WaitClosedAsync(id)).Status.Should().Be(WorkflowExecutionStatus.Canceled);
        _host.Activities.Journal.Should().Equal("work", "close");
    }

    [Fact]
    public async Task Approval_waits_for_the_approve_signal_and_a_reject_takes_the_rejected_branch()
    {
        var flow = Build(
            "approve",
            [Control("ok", FlowKinds.Approval, new { signal = "approve", prompt = "go?" }), Step("go"), Control("second", FlowKinds.Approval, new { signal = "second" }), Step("declined"), Step("accepted")],
            "start>ok", "ok>go", "go>second", "second:rejected>declined", "second>accepted");
        var id = await _host.StartFlowAsync(flow);
        await _host.WaitNodeAsync(id, "ok", "running");
        _host.Activities.Journal.Should().BeEmpty();

        await _host.Client.SignalAsync(id, "approve", new FlowApprovalSignal(By: "ops"));
        await _host.WaitNodeAsync(id, "second", "running");
        await _host.Client.SignalAsync(id, "reject", new FlowApprovalSignal(Signal: "second", By: "lead", Note: "not tonight"));

        (await _host.WaitClosedAsync(id)).Status.Should().Be(WorkflowExecutionStatus.Completed);
        _host.Activities.Journal.Should().Equal("go", "declined");
        var nodes = await _host.NodesAsync(id);
        nodes["ok"].Error.Should().Be("approved by ops");
        nodes["second"].Error.Should().Be("rejected by lead: not tonight");
        nodes["accepted"].State.Should().Be("skipped");
    }

    [Fact]
    public async Task A_node_is_retried_per_its_options()
    {
        _host.Activities.FailTimes["flaky"] = 2;
        var flow = Build("retry", [Step("flaky", options: new FlowNodeOptions(MaxAttempts: 3, RetryInterval: "00:00:00.05"))], "start>flaky");
        var id = await _host.StartFlowAsync(flow);

        (await _host.WaitClosedAsync(id)).Status.Should().Be(WorkflowExecutionStatus.Completed);
        _host.Activities.Journal.Should().Equal("flaky", "flaky", "flaky");
    }

    [Fact]
    public async Task A_crash_mid_flow_resumes_where_it_stopped_and_still_runs_the_cleanup()
    {
        _host.Activities.Hang("long");
        var flow = Build(
            "crash",
            [Step("first"), Control("try", FlowKinds.Try), Step("long"), Step("close"), Step("last")],
            "start>first", "first>try", "try:body>long", "try:finally>close", "try>last");
        var id = await _host.StartFlowAsync(flow);
        await Eventually.TrueAsync(() => _host.Activities.Journal.Contains("long"), "long started");

        await _host.CrashAsync();
        // The attempt that ran at the crash is lost; recovery runs it again.
        await Eventually.TrueAsync(() => _host.Activities.Journal.Count(n => n == "long") == 2, "long re-run after recovery");
        _host.Activities.Release("long");

        (await _host.WaitClosedAsync(id)).Status.Should().Be(WorkflowExecutionStatus.Completed);
        _host.Activities.Journal.Should().Equal("first", "long", "long", "close", "last");
        (await _host.NodesAsync(id)).Values.Select(n => n.State).Should().AllBe("done");
    }

    private static FlowSiteSystem System(string id, string zone) =>
        new(id, zone, $"{id}:7443", "10.0.0.1", "None", null, null, 0, [], []);
}
