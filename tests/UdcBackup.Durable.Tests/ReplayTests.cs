using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Replay;
using UdcBackup.Durable.Tests.Support;
using UdcBackup.Durable.Tests.Workflows;

namespace UdcBackup.Durable.Tests;

/// <summary>Recorded histories (Histories/*.json) must replay against the current workflow code; a changed workflow must be caught.</summary>
public sealed class ReplayTests
{
    private readonly TestActivities activities = new();

    public static TheoryData<string, Type> RecordedHistories() => new()
    {
        { "replay-sample-completed.json", typeof(ReplaySampleWorkflow) },
        { "steps-completed.json", typeof(StepsWorkflow) },

        // Step 2's first attempt was cut short by a node stop: the event is not a command and changes nothing the code sees.
        { "steps-interrupted.json", typeof(StepsWorkflow) },
    };

    [Theory]
    [MemberData(nameof(RecordedHistories))]
    public async Task Recorded_history_replays_clean_against_the_current_code(string file, Type workflow)
    {
        var history = Load(file);

        var result = await WorkflowReplayer.ReplayAsync(workflow, history);

        result.EventsReplayed.Should().Be(history.Events.Count);
        result.ClosedAs.Should().Be(WorkflowExecutionStatus.Completed);
    }

    [Fact]
    public async Task Changed_workflow_fails_replay_with_a_non_determinism_error_naming_the_event()
    {
        var history = Load("replay-sample-completed.json");

        var act = () => WorkflowReplayer.ReplayAsync<ReplaySampleWorkflowChanged>(history);

        var error = (await act.Should().ThrowAsync<NonDeterminismException>()).Which;
        error.EventId.Should().Be(2);
        error.Message.Should().Contain("ActivityTaskScheduled(command 1, activity 'test.add')").And.Contain("TimerStarted(command 1)");
    }

    [Fact]
    public async Task Truncated_history_with_a_missing_command_fails_replay()
    {
        var history = Load("steps-completed.json");
        var withoutSecondStep = history with { Events = [.. history.Events.Where(e => e.CommandId != 2)] };

        var act = () => WorkflowReplayer.ReplayAsync<StepsWorkflow>(withoutSecondStep);

        (await act.Should().ThrowAsync<NonDeterminismException>()).Which.Message.Should().Contain("ActivityTaskScheduled(command 3");
    }

    [Fact]
    public void History_round_trips_through_json()
    {
        var history = Load("replay-sample-completed.json");
        var again = WorkflowHistory.FromJson(history.ToJson());
        again.ToJson().Should().Be(history.ToJson());
        again.Events.Select(e => (e.EventId, e.EventType, e.CommandId, e.Timestamp)).Should().Equal(history.Events.Select(e => (e.EventId, e.EventType, e.CommandId, e.Timestamp)));
    }

    [Fact]
    public async Task Recovery_with_changed_code_fails_the_execution_loudly()
    {
        var directory = Path.Combine(Path.GetTempPath(), "udc-durable-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var v1 = await TestHost.StartAsync(o => o.AddWorkflow<ReplaySampleWorkflow>().AddActivities(activities), directory: directory))
            {
                await v1.Client.StartWorkflowAsync("test.replay", "nd", new WorkflowStartOptions { Id = "nd" });
                await Eventually.TrueAsync(async () => (await v1.HistoryAsync("nd")).Any(e => e.EventType == HistoryEventType.TimerStarted), "timer started");
            }

            await using var v2 = await TestHost.StartAsync(o => o.AddWorkflow<ReplaySampleWorkflowChanged>().AddActivities(activities), directory: directory);
            var act = () => v2.Client.GetResultAsync<int>("nd").WaitAsync(TimeSpan.FromSeconds(10));

            var failed = (await act.Should().ThrowAsync<WorkflowFailedException>()).Which;
            failed.InnerException.Should().BeOfType<NonDeterminismException>().Which.EventId.Should().Be(2);
            var description = await v2.Client.DescribeAsync("nd");
            description.Status.Should().Be(WorkflowExecutionStatus.Failed);
            description.Failure!.Kind.Should().Be("NonDeterminism");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static WorkflowHistory Load(string file) =>
        WorkflowHistory.FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Histories", file)));
}
