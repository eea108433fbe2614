using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Replay;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Flow;
using UdcBackup.Workflows.Restore;

namespace UdcBackup.Workflows.Tests;

/// <summary>
/// Histories of the product workflows recorded by earlier versions of their code (Histories/*.json:
/// the runs of this project's workflow tests, backup, restore and flow, completed, failed, cancelled
/// and recovered after a crash) must replay against the current code. A controller upgraded while
/// runs are in flight replays them: a change that breaks one of these would fail such runs with a
/// non-determinism. Put the change under <c>Workflow.Patched</c> instead; never re-record a file
/// to make this pass (docs/design/durable-runtime.md, "Changing workflow code: patches").
/// </summary>
public sealed class RecordedHistoryTests
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        [BackupJobWorkflow.TypeName] = typeof(BackupJobWorkflow),
        [RestoreWorkflow.TypeName] = typeof(RestoreWorkflow),
        [FlowWorkflow.TypeName] = typeof(FlowWorkflow),
    };

    public static TheoryData<string> Files()
    {
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetFileName(file));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_recorded_history_replays_against_the_current_code_and_closes_as_it_did(string file)
    {
        var history = WorkflowHistory.FromJson(await File.ReadAllTextAsync(Path.Combine(Folder, file)));
        var type = history.Events[0].WorkflowType!;

        var result = await WorkflowReplayer.ReplayAsync(Types[type], history);

        result.EventsReplayed.Should().Be(history.Events.Count);
        result.ClosedAs.Should().Be(ClosedAs(history), "the replayed code closes the run the way it was recorded");
    }

    [Fact]
    public void The_recorded_histories_cover_every_product_workflow_closed_every_way()
    {
        var histories = Directory.EnumerateFiles(Folder, "*.json").Select(f => WorkflowHistory.FromJson(File.ReadAllText(f))).ToList();

        histories.Select(h => h.Events[0].WorkflowType).Distinct().Should().BeEquivalentTo(Types.Keys);
        histories.Select(ClosedAs).Distinct().Should().BeEquivalentTo([WorkflowExecutionStatus.Completed, WorkflowExecutionStatus.Failed, WorkflowExecutionStatus.Canceled]);
        histories.Should().Contain(h => h.Events.Any(e => e.EventType == HistoryEventType.ActivityTaskAttemptInterrupted), "a run recovered after a crash");
    }

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Histories");

    private static WorkflowExecutionStatus ClosedAs(WorkflowHistory history) => history.Events[^1].EventType switch
    {
        HistoryEventType.WorkflowExecutionCompleted => WorkflowExecutionStatus.Completed,
        HistoryEventType.WorkflowExecutionFailed => WorkflowExecutionStatus.Failed,
        HistoryEventType.WorkflowExecutionCanceled => WorkflowExecutionStatus.Canceled,
        var other => throw new InvalidOperationException($"a recorded history ends with its close, not {other}"),
    };
}
