using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Tests.Support;

namespace UdcBackup.Workflows.Tests;

/// <summary>
/// <c>backup.job</c> on the real durable runtime (SQLite), with real nftables windows in network
/// namespaces and recording agents: step order, cleanups after failure, cancel and crash, the
/// firewall rule set put back exactly, snapshots recorded against the right system only.
/// </summary>
[Collection(ZonesCollection.Name)]
public sealed class BackupJobTests(ZonesFixture zones)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Each_system_runs_pre_stream_post_in_order_inside_an_open_window_that_is_closed_afterwards()
    {
        await using var host = await OrchestrationHost.StartAsync();
        var before = await zones.SnapshotAsync();
        var input = Input("order");
        host.Agents.StreamProbe = async () => (await zones.WindowsOfAsync(input.RunId)).ToString(System.Globalization.CultureInfo.InvariantCulture);

        await host.Client.StartWorkflowAsync(BackupJobWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        var result = await host.Client.GetResultAsync<BackupJobResult>(input.RunId).WaitAsync(Deadline);

        host.Agents.Of("sys-a").Should().Equal(
            "sys-a:postgresql/pre-backup", "sys-a:stream pgdata full", "sys-a:probe=2",
            "sys-a:postgresql/post-backup", "sys-a:stream label full", "sys-a:probe=2");
        host.Agents.Of("sys-b").Should().Equal("sys-b:app-suspend/pre-backup", "sys-b:stream spool full", "sys-b:probe=2", "sys-b:app-suspend/post-backup");
        host.Agents.Journal.Should().ContainInOrder(["sys-a:stream label full", "sys-b:app-suspend/pre-backup"], "systems run one at a time");
        result.Systems.Select(s => (s.SystemId, s.Status, s.Level)).Should().Equal(("sys-a", SystemRunStatus.Succeeded, "full"), ("sys-b", SystemRunStatus.Succeeded, "full"));
        result.Systems[0].Bytes.Should().Be(2000, "both streams of sys-a went into one snapshot");
        result.WindowsClosed.Should().Be(2, "one window per system was open");
        (await zones.WindowsOfAsync(input.RunId)).Should().Be(0);
        (await zones.SnapshotAsync()).Compare(before).Describe().Should().Be("rule set identical");
        (await host.Catalog.ListAsync("sys-a")).Should().ContainSingle(e => e.SnapshotId == result.Systems[0].SnapshotId && e.JobId == "nightly" && e.Level == "full");

        // The next run of the same job builds on the first: incremental with the first as parent.
        var second = Input("order-2");
        await host.Client.StartWorkflowAsync(BackupJobWorkflow.TypeName, second, new WorkflowStartOptions { Id = second.RunId });
        (await host.Client.GetResultAsync<BackupJobResult>(second.RunId).WaitAsync(Deadline)).Systems.Should().OnlyContain(s => s.Level == "incremental");
    }

    [Fact]
    public async Task A_failed_stream_still_runs_post_backup_and_the_next_system_still_runs()
    {
        await using var host = await OrchestrationHost.StartAsync();
        var before = await zones.SnapshotAsync();
        host.Agents.FailStreamOf.Add("sys-a");
        var input = Input("fail");

        await host.Client.StartWorkflowAsync(BackupJobWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        var result = await host.Client.GetResultAsync<BackupJobResult>(input.RunId).WaitAsync(Deadline);

        host.Agents.Of("sys-a").Should().Equal("sys-a:postgresql/pre-backup", "sys-a:stream pgdata full", "sys-a:stream failed", "sys-a:postgresql/post-backup");
        host.Agents.Of("sys-b").Should().Contain("sys-b:app-suspend/post-backup");
        result.Systems[0].Should().Match<SystemBackupResult>(s => s.Status == SystemRunStatus.Failed && s.PostBackupRan && s.SnapshotId == null && s.Error!.Contains("connection reset"));
        result.Systems[0].Step.Should().Be("stream", "the line names the step that failed, not the first one it ran");
        result.Systems[1].Status.Should().Be(SystemRunStatus.Succeeded);
        (await host.Catalog.ListAsync("sys-a")).Should().BeEmpty("a failed system's data is not recorded");
        (await zones.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();
    }

    [Fact]
    public async Task A_stream_that_matched_no_file_fails_and_its_empty_snapshot_is_removed_not_left_in_the_repository()
    {
        await using var host = await OrchestrationHost.StartAsync();
        host.Agents.EmptyStreamOf.Add("sys-b");
        var input = Input("empty");

        await host.Client.StartWorkflowAsync(BackupJobWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        var result = await host.Client.GetResultAsync<BackupJobResult>(input.RunId).WaitAsync(Deadline);

        var empty = result.Systems.Single(s => s.SystemId == "sys-b");
        empty.Should().Match<SystemBackupResult>(s => s.Status == SystemRunStatus.Failed && s.PostBackupRan && s.SnapshotId == null);
        empty.Error.Should().Contain("matched no file").And.Contain("was removed");
        host.Agents.Of("sys-b").Should().Equal(["sys-b:app-suspend/pre-backup", "sys-b:stream spool full", "sys-b:app-suspend/post-backup"], "NothingBackedUp is not retried");
        var sealedEmpty = host.Agents.Forgotten.Should().ContainSingle().Subject;
        (await host.Catalog.ListAsync("sys-b")).Should().BeEmpty("the empty snapshot is never recorded");
        result.Systems.Single(s => s.SystemId == "sys-a").SnapshotId.Should().NotBe(sealedEmpty, "only the empty snapshot is removed");
        sealedEmpty.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Without_continue_on_failure_the_rest_is_skipped_and_windows_still_close()
    {
        await using var host = await OrchestrationHost.StartAsync();
        host.Agents.FailStreamOf.Add("sys-a");
        var input = Input("stop", continueOnFailure: false);

        await host.Client.StartWorkflowAsync(BackupJobWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        var result = await host.Client.GetResultAsync<BackupJobResult>(input.RunId).WaitAsync(Deadline);

        result.Systems.Select(s => s.Status).Should().Equal(SystemRunStatus.Failed, SystemRunStatus.Skipped);
        host.Agents.Of("sys-b").Should().BeEmpty();
        (await zones.WindowsOfAsync(input.RunId)).Should().Be(0);
    }

    [Fact]
    public async Task Cancel_during_the_stream_runs_post_backup_closes_the_window_and_ends_cancelled()
    {
        await using var host = await OrchestrationHost.StartAsync();
        var before = await zones.SnapshotAsync();
        host.Agents.HangStreamOf("sys-a");
        var input = Input("cancel");

        await host.Client.StartWorkflowAsync(BackupJobWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        await Eventually.TrueAsync(() => host.Agents.Journal.Contains("sys-a:hanging"), "sys-a streaming");
        (await host.Client.QueryAsync<BackupJobResult>(input.RunId, "progress")).Systems[0].Step.Should().Be("stream");
        (await zones.WindowsOfAsync(input.RunId)).Should().Be(2, "the window is open during the job");
        await host.Client.CancelAsync(input.RunId, "operator request");

        var failure = await FluentActions.Awaiting(() => host.Client.GetResultAsync<BackupJobResult>(input.RunId).WaitAsync(Deadline)).Should().ThrowAsync<WorkflowFailedException>();
        (await host.Client.DescribeAsync(input.RunId)).Status.Should().Be(WorkflowExecutionStatus.Canceled);
        host.Agents.Of("sys-a").Should().ContainInOrder("sys-a:stream cancelled", "sys-a:postgresql/post-backup");
        host.Agents.Of("sys-b").Should().BeEmpty("a cancelled run starts no further system");
        var progress = await host.Client.QueryAsync<BackupJobResult>(input.RunId, "progress");
        progress.Systems.Select(s => s.Status).Should().Equal(SystemRunStatus.Cancelled, SystemRunStatus.Cancelled);
        progress.Systems[0].Step.Should().Be("stream", "the line names the step the cancel stopped");
        (await zones.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();
        _ = failure;
    }

    [Fact]
    public async Task A_controller_crash_mid_stream_resumes_and_still_runs_post_backup_and_the_close()
    {
        await using var host = await OrchestrationHost.StartAsync();
        var before = await zones.SnapshotAsync();
        host.Agents.HangStreamOf("sys-a");
        var input = Input("crash");

        await host.Client.StartWorkflowAsync(BackupJobWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        await Eventually.TrueAsync(() => host.Agents.Journal.Contains("sys-a:hanging"), "sys-a streaming");
        await host.CrashAsync();
        host.Agents.Release("sys-a");

        var result = await host.Client.GetResultAsync<BackupJobResult>(input.RunId).WaitAsync(Deadline);

        result.Systems.Select(s => s.Status).Should().Equal(SystemRunStatus.Succeeded, SystemRunStatus.Succeeded);
        host.Agents.Of("sys-a").Count(e => e == "sys-a:postgresql/pre-backup").Should().Be(1, "pre-backup completed before the crash and is not run again");
        host.Agents.Of("sys-a").Count(e => e == "sys-a:stream pgdata full").Should().Be(2, "the stream cut by the crash is attempted again");
        host.Agents.Of("sys-a").Should().ContainSingle(e => e == "sys-a:postgresql/post-backup");
        (await zones.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();
    }

    [Fact]
    public async Task A_snapshot_tagged_with_another_system_is_not_recorded()
    {
        await using var host = await OrchestrationHost.StartAsync();
        host.Agents.WrongTagOf["sys-b"] = "sys-a";
        var input = Input("tag");

        await host.Client.StartWorkflowAsync(BackupJobWorkflow.TypeName, input, new WorkflowStartOptions { Id = input.RunId });
        var result = await host.Client.GetResultAsync<BackupJobResult>(input.RunId).WaitAsync(Deadline);

        result.Systems[1].Status.Should().Be(SystemRunStatus.Failed);
        result.Systems[1].Error.Should().Contain("tagged with system sys-a");
        (await host.Catalog.ListAsync("sys-b")).Should().BeEmpty();
        (await host.Catalog.ListAsync("sys-a")).Should().ContainSingle();
    }

    [Fact]
    public async Task A_scheduled_run_without_run_id_tags_its_windows_with_its_workflow_id()
    {
        await using var host = await OrchestrationHost.StartAsync();
        var before = await zones.SnapshotAsync();
        var input = BackupJobInputs.FromSite(TestSite.Create(zones.Target), "nightly", runId: string.Empty, siteVersion: 3);
        var workflowId = $"job-nightly-{Guid.NewGuid():N}"[..30];
        host.Agents.StreamProbe = async () => (await zones.WindowsOfAsync(workflowId)).ToString(System.Globalization.CultureInfo.InvariantCulture);

        await host.Client.StartWorkflowAsync(BackupJobWorkflow.TypeName, input, new WorkflowStartOptions { Id = workflowId });
        var result = await host.Client.GetResultAsync<BackupJobResult>(workflowId).WaitAsync(Deadline);

        result.RunId.Should().Be(workflowId);
        host.Agents.Journal.Should().Contain("sys-b:probe=2", "the windows carried the workflow id as their tag");
        (await zones.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();
    }

    private BackupJobInput Input(string name, bool continueOnFailure = true) =>
        BackupJobInputs.FromSite(TestSite.Create(zones.Target, continueOnFailure), "nightly", $"backup-{name}-{Guid.NewGuid():N}"[..40], siteVersion: 1);
}
