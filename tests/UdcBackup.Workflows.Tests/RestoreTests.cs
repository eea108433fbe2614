using UdcBackup.Activities.Catalog;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Replay;
using UdcBackup.Site.Planning;
using UdcBackup.Workflows.Restore;
using UdcBackup.Workflows.Tests.Support;

namespace UdcBackup.Workflows.Tests;

/// <summary>
/// <c>restore</c> on the real runtime and firewall: the cross-system safeguard and the target's
/// disk agent refuse before anything moves, an approval is recorded, a restore into a folder goes
/// there, start-programs and the close run whatever happens.
/// </summary>
[Collection(ZonesCollection.Name)]
public sealed class RestoreTests(ZonesFixture zones)
{
    private const string SnapshotOfA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Restoring_a_snapshot_of_A_to_B_without_approval_is_refused_before_anything_moves()
    {
        await using var host = await StartWithSnapshotOfAAsync();
        var before = await zones.SnapshotAsync();
        var input = Input("refuse", target: "sys-b", approvedBy: null);

        await host.Client.StartWorkflowAsync(RestoreWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        var failure = (await FluentActions.Awaiting(() => host.Client.GetResultAsync<RestoreResult>(input.RunId).WaitAsync(Deadline))
            .Should().ThrowAsync<WorkflowFailedException>()).Which;

        failure.InnerException.Should().BeOfType<ApplicationFailureException>()
            .Which.Should().Match<ApplicationFailureException>(f => f.ErrorType == RestoreWorkflow.RefusedErrorType && f.Message.Contains("needs an operator's approval"));
        host.Agents.Journal.Should().BeEmpty("no script ran and no data moved");
        (await zones.SnapshotAsync()).Compare(before).Identical.Should().BeTrue("no window was opened");
        var history = await host.Client.DescribeAsync(input.RunId);
        history.History.Select(e => e.ActivityType).Where(t => t is not null).Distinct().Should().Equal(["catalog.find-snapshot"]);
    }

    [Fact]
    public async Task An_approved_restore_to_another_system_records_the_approver_and_runs_stop_stream_start()
    {
        await using var host = await StartWithSnapshotOfAAsync();
        var before = await zones.SnapshotAsync();
        var input = Input("approved", target: "sys-b", approvedBy: "ops-lead");
        host.Agents.StreamProbe = async () => (await zones.WindowsOfAsync(input.RunId)).ToString(System.Globalization.CultureInfo.InvariantCulture);

        await host.Client.StartWorkflowAsync(RestoreWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        var result = await host.Client.GetResultAsync<RestoreResult>(input.RunId).WaitAsync(Deadline);

        // sys-b has no stop/start scripts: an application-suspend system is suspended and resumed with its backup scripts.
        host.Agents.Journal.Should().Equal("sys-b:check target /", "sys-b:app-suspend/pre-backup", "sys-b:restore aaaaaaaa", "sys-b:probe=1", "sys-b:app-suspend/post-backup");
        result.ApprovedBy.Should().Be("ops-lead");
        result.RequestedBy.Should().Be("operator");
        result.SnapshotSystemId.Should().Be("sys-a");
        result.Files.Should().Be(20);
        result.AlreadyCorrectFiles.Should().Be(7, "what the target already held is part of the result, not only what was written");
        result.AlreadyCorrectBytes.Should().Be(700);
        host.Agents.Restores.Should().ContainSingle().Which.ApprovedBy.Should().Be("ops-lead", "the approver travels with the stream request to the media agent");
        (await zones.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();
    }

    [Fact]
    public async Task A_target_its_disk_agent_refuses_fails_the_run_before_any_window_opens_or_program_stops()
    {
        await using var host = await StartWithSnapshotOfAAsync();
        var before = await zones.SnapshotAsync();
        host.Agents.RefuseTargetOf["sys-b"] = "restore target '/' is not inside the configured restore roots";
        var input = Input("target", target: "sys-b", approvedBy: "ops-lead");

        await host.Client.StartWorkflowAsync(RestoreWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        var failure = (await FluentActions.Awaiting(() => host.Client.GetResultAsync<RestoreResult>(input.RunId).WaitAsync(Deadline))
            .Should().ThrowAsync<WorkflowFailedException>()).Which;

        var refusal = failure.InnerException.Should().BeOfType<ApplicationFailureException>().Subject;
        refusal.ErrorType.Should().Be(RestoreWorkflow.RefusedErrorType);
        refusal.NonRetryable.Should().BeTrue();
        refusal.Message.Should().Be(
            "restore refused: restore target '/' is not inside the configured restore roots (disk agent of sys-b); restore into a folder inside sys-b's restore roots with --into DIR; nothing was changed");
        host.Agents.Journal.Should().Equal(["sys-b:check target /"], "no stop-programs script ran, so no start-programs is owed, and no data moved");
        (await zones.SnapshotAsync()).Compare(before).Identical.Should().BeTrue("no window was opened");
        var history = await host.Client.DescribeAsync(input.RunId);
        history.History.Select(e => e.ActivityType).Where(t => t is not null).Distinct().Should().Equal(["catalog.find-snapshot", "data.check-restore-target"]);
    }

    [Fact]
    public async Task A_restore_into_a_folder_asks_the_target_about_that_folder_and_streams_into_it()
    {
        await using var host = await StartWithSnapshotOfAAsync();
        var input = Input("into", target: "sys-b", approvedBy: "ops-lead") with { Into = "/srv/restored/from-a" };

        await host.Client.StartWorkflowAsync(RestoreWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        await host.Client.GetResultAsync<RestoreResult>(input.RunId).WaitAsync(Deadline);

        host.Agents.Journal[0].Should().Be("sys-b:check target /srv/restored/from-a");
        host.Agents.Restores.Should().ContainSingle().Which.Into.Should().Be("/srv/restored/from-a");
    }

    [Fact]
    public async Task A_restore_into_a_folder_leaves_the_systems_programs_running()
    {
        await using var host = await StartWithSnapshotOfAAsync();
        var input = Input("into-own", target: null, approvedBy: null, into: "/srv/restored");

        await host.Client.StartWorkflowAsync(RestoreWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        var result = await host.Client.GetResultAsync<RestoreResult>(input.RunId).WaitAsync(Deadline);

        host.Agents.Journal.Should().Equal(
            ["sys-a:check target /srv/restored", "sys-a:restore aaaaaaaa"],
            "the originals are left alone, so the database is not stopped for a copy beside it");
        result.Files.Should().Be(20);
    }

    [Fact]
    public async Task A_restore_recorded_before_the_target_check_replays_without_it_and_a_new_one_with_it()
    {
        await using var host = await StartWithSnapshotOfAAsync();
        var input = Input("replay", target: null, approvedBy: null);
        await host.Client.StartWorkflowAsync(RestoreWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        await host.Client.GetResultAsync<RestoreResult>(input.RunId).WaitAsync(Deadline);
        var run = await host.Client.DescribeAsync(input.RunId);
        var recorded = new WorkflowHistory(run.WorkflowId, run.History) { RunId = run.RunId };

        // The same run as the version before the check recorded it: no patch marker, no check
        // activity, and the later activities one command id earlier.
        var check = run.History.Single(e => e.EventType == HistoryEventType.ActivityTaskScheduled && e.ActivityType == "data.check-restore-target").CommandId!.Value;
        var before = new WorkflowHistory(run.WorkflowId, [
            .. run.History
                .Where(e => e.EventType != HistoryEventType.MarkerRecorded && e.CommandId != check)
                .Select(e => e.CommandId > check ? e with { CommandId = e.CommandId - 1 } : e),
        ]) { RunId = run.RunId };

        (await WorkflowReplayer.ReplayAsync<RestoreWorkflow>(recorded)).ClosedAs.Should().Be(WorkflowExecutionStatus.Completed);
        (await WorkflowReplayer.ReplayAsync<RestoreWorkflow>(before)).ClosedAs.Should().Be(WorkflowExecutionStatus.Completed);
    }

    [Theory]
    [InlineData("relative/folder")]
    [InlineData("/")]
    [InlineData("/srv/../etc")]
    public void A_restore_into_a_folder_that_is_not_an_absolute_folder_path_is_an_invalid_input(string into)
    {
        (Input("bad-into", target: "sys-b", approvedBy: "ops-lead") with { Into = into }).Problems()
            .Should().ContainSingle().Which.Should().Contain($"into '{into}' is not an absolute folder path");
    }

    [Fact]
    public async Task A_failed_restore_stream_still_starts_the_programs_and_closes_the_window()
    {
        await using var host = await StartWithSnapshotOfAAsync();
        var before = await zones.SnapshotAsync();
        host.Agents.FailStreamOf.Add("sys-a");
        var input = Input("fails", target: null, approvedBy: null);

        await host.Client.StartWorkflowAsync(RestoreWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        await FluentActions.Awaiting(() => host.Client.GetResultAsync<RestoreResult>(input.RunId).WaitAsync(Deadline)).Should().ThrowAsync<WorkflowFailedException>();

        host.Agents.Journal.Should().Equal("sys-a:check target /", "sys-a:postgresql/stop-programs", "sys-a:restore aaaaaaaa", "sys-a:restore failed", "sys-a:postgresql/start-programs");
        (await zones.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();
    }

    [Fact]
    public async Task A_controller_crash_mid_restore_still_starts_the_programs_and_closes_the_window()
    {
        await using var host = await StartWithSnapshotOfAAsync();
        var before = await zones.SnapshotAsync();
        host.Agents.HangStreamOf("sys-a");
        var input = Input("crash", target: null, approvedBy: null);

        await host.Client.StartWorkflowAsync(RestoreWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        await Eventually.TrueAsync(() => host.Agents.Journal.Contains("sys-a:hanging"), "restore streaming");
        await host.CrashAsync();
        host.Agents.Release("sys-a");

        var result = await host.Client.GetResultAsync<RestoreResult>(input.RunId).WaitAsync(Deadline);
        result.ProgramsStarted.Should().BeTrue();
        host.Agents.Journal.Count(e => e == "sys-a:postgresql/stop-programs").Should().Be(1);
        host.Agents.Journal.Should().ContainSingle(e => e == "sys-a:postgresql/start-programs");
        (await zones.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();
    }

    private async Task<OrchestrationHost> StartWithSnapshotOfAAsync()
    {
        var host = await OrchestrationHost.StartAsync();
        await host.Catalog.AddAsync(new CatalogEntry(SnapshotOfA, "sys-a", "nightly", "full", "media-1", "local", DateTimeOffset.UnixEpoch, 10, 1));
        return host;
    }

    private RestoreInput Input(string name, string? target, string? approvedBy, string? into = null) =>
        RestoreInputs.FromSite(TestSite.Create(zones.Target), new RestoreRequest("sys-a", target), SnapshotOfA, $"restore-{name}-{Guid.NewGuid():N}"[..40], "operator", approvedBy, into);
}
