using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Api;

/// <summary>The operator's CLI against a real controller process: start, show, list, cancel, schedules.</summary>
public sealed class OperatorCommandTests : IClassFixture<SharedServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly SharedServerFixture _fixture;

    public OperatorCommandTests(SharedServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Start_prints_the_id_and_show_tells_status_result_and_history()
    {
        var start = await CliRun.InProcessAsync(["workflow", "start", "diag.steps", "--input", """{"steps":2,"stepMillis":10}""", .. _fixture.ServerArgs]);
        start.ExitCode.Should().Be(0, start.ToString());
        var id = start.Stdout.Trim();
        await _fixture.Server.WaitClosedAsync(id, Deadline);

        var human = await CliRun.InProcessAsync(["workflow", "show", id, .. _fixture.ServerArgs]);
        var json = await CliRun.InProcessAsync(["workflow", "show", id, "--json", .. _fixture.ServerArgs]);
        var list = await CliRun.InProcessAsync(["workflow", "list", "--type", "diag.steps", "--status", "completed", .. _fixture.ServerArgs]);

        human.Stdout.Should().Contain("Completed").And.Contain("WorkflowExecutionCompleted").And.Contain("diag.cleanup").And.Contain("\"stepsCompleted\":2");
        var details = JsonDocument.Parse(json.Stdout).RootElement;
        details.GetProperty("status").GetString().Should().Be("Completed");
        details.GetProperty("history").GetArrayLength().Should().BeGreaterThan(6);
        list.Stdout.Should().Contain(id);
    }

    [Fact]
    public async Task List_passes_system_and_start_time_filters_to_the_controller()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var id = (await _fixture.Server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 10 }, $"filtered-{Guid.NewGuid():N}")).WorkflowId;
        await _fixture.Server.WaitClosedAsync(id, Deadline);

        var recent = await CliRun.InProcessAsync(["workflow", "list", "--type", "diag.steps", "--since", "1h", .. _fixture.ServerArgs]);
        var fromTime = await CliRun.InProcessAsync(["workflow", "list", "--type", "diag.steps", "--since", before, "--json", .. _fixture.ServerArgs]);
        var olderOnly = await CliRun.InProcessAsync(["workflow", "list", "--type", "diag.steps", "--until", before, .. _fixture.ServerArgs]);
        var otherSystem = await CliRun.InProcessAsync(["workflow", "list", "--type", "diag.steps", "--system", "no-such-system", .. _fixture.ServerArgs]);

        recent.ExitCode.Should().Be(0, recent.ToString());
        recent.Stdout.Should().Contain(id);
        JsonDocument.Parse(fromTime.Stdout).RootElement.EnumerateArray().Select(r => r.GetProperty("workflowId").GetString()).Should().Contain(id);
        olderOnly.ExitCode.Should().Be(0, olderOnly.ToString());
        olderOnly.Stdout.Should().NotContain(id, "the run started after --until");
        otherSystem.ExitCode.Should().Be(0, otherSystem.ToString());
        otherSystem.Stdout.Should().NotContain(id, "a diag.steps run concerns no system");
    }

    [Fact]
    public async Task Show_lists_the_pending_activity_with_its_attempt_while_it_runs()
    {
        var id = (await _fixture.Server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 20_000, cleanupMillis = 10 }, "pending-shown")).WorkflowId;
        var evidence = new EvidenceFile(_fixture.Server.DataDirectory, id);
        await evidence.WaitForAsync("step 1 started", Deadline);

        var shown = await CliRun.InProcessAsync(["workflow", "show", id, .. _fixture.ServerArgs]);
        await CliRun.InProcessAsync(["workflow", "cancel", id, "--reason", "test over", .. _fixture.ServerArgs]);

        shown.Stdout.Should().Contain("Running").And.Contain("Pending activities:").And.MatchRegex(@"diag\.step\s+1\s");
    }

    [Fact]
    public async Task Cancel_stops_the_run_and_its_cleanup_still_runs()
    {
        var id = (await _fixture.Server.StartWorkflowAsync("diag.steps", new { steps = 3, stepMillis = 20_000, cleanupMillis = 10 }, "cancel-me")).WorkflowId;
        var evidence = new EvidenceFile(_fixture.Server.DataDirectory, id);
        await evidence.WaitForAsync("step 1 started", Deadline);

        var cancel = await CliRun.InProcessAsync(["workflow", "cancel", id, "--reason", "operator test", .. _fixture.ServerArgs]);
        var details = await _fixture.Server.WaitClosedAsync(id, Deadline);

        cancel.ExitCode.Should().Be(0, cancel.ToString());
        details.Status.Should().Be("Canceled");
        details.Failure!.Describe().Should().EndWith("Workflow cancelled: operator test (requested by admin).", "the run says why it was cancelled and who asked");
        evidence.Contains("cleanup completed").Should().BeTrue("the finally block runs after a cancel");
        evidence.Contains("step 2 started").Should().BeFalse();
    }

    [Fact]
    public async Task A_second_cancel_records_nothing_and_says_when_and_by_whom_the_first_was_made()
    {
        var id = (await _fixture.Server.StartWorkflowAsync("diag.steps", new { steps = 2, stepMillis = 20_000, cleanupMillis = 60_000 }, $"cancel-twice-{Guid.NewGuid():N}")).WorkflowId;
        var evidence = new EvidenceFile(_fixture.Server.DataDirectory, id);
        await evidence.WaitForAsync("step 1 started", Deadline);

        var first = await CliRun.InProcessAsync(["workflow", "cancel", id, "--reason", "first", .. _fixture.ServerArgs]);
        await evidence.WaitForAsync("cleanup started", Deadline);
        var second = await CliRun.InProcessAsync(["workflow", "cancel", id, "--reason", "second", .. _fixture.ServerArgs]);
        using var third = await _fixture.Server.Http.PostAsJsonAsync(new Uri($"/api/workflows/{id}/cancel", UriKind.Relative), new { reason = "third" });

        first.ExitCode.Should().Be(0, first.ToString());
        first.Stdout.Trim().Should().Be($"cancellation requested for {id}");
        var history = JsonDocument.Parse(await _fixture.Server.GetRawAsync($"/api/workflows/{id}")).RootElement.GetProperty("history").EnumerateArray()
            .Where(e => e.GetProperty("eventType").GetString() == "WorkflowCancelRequested").ToList();
        history.Should().ContainSingle("the later requests recorded nothing");
        var at = history[0].GetProperty("timestamp").GetDateTime().ToUniversalTime();
        second.ExitCode.Should().Be(0, second.ToString());
        second.Stdout.Trim().Should().Be($"{id}: cancellation was already requested at {at:yyyy-MM-dd HH:mm:ss}Z (first (requested by admin)); nothing was recorded again");
        third.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        var answer = JsonDocument.Parse(await third.Content.ReadAsStringAsync()).RootElement;
        answer.GetProperty("alreadyRequested").GetBoolean().Should().BeTrue();
        answer.GetProperty("reason").GetString().Should().Be("first (requested by admin)");
    }

    [Fact]
    public async Task A_schedule_can_be_created_paused_triggered_shown_and_deleted()
    {
        var args = _fixture.ServerArgs;
        var create = await CliRun.InProcessAsync(["schedule", "create", "every-hour", "--type", "diag.steps", "--every", "1h", "--input", """{"steps":1,"stepMillis":10}""", "--overlap", "AllowAll", .. args]);
        var pause = await CliRun.InProcessAsync(["schedule", "pause", "every-hour", "--note", "maintenance window", .. args]);
        var trigger = await CliRun.InProcessAsync(["schedule", "trigger", "every-hour", .. args]);
        var show = await CliRun.InProcessAsync(["schedule", "show", "every-hour", .. args]);
        var list = await CliRun.InProcessAsync(["schedule", "list", "--json", .. args]);

        create.ExitCode.Should().Be(0, create.ToString());
        pause.ExitCode.Should().Be(0, pause.ToString());
        trigger.ExitCode.Should().Be(0, trigger.ToString());
        var started = trigger.Stdout.Trim();
        started.Should().StartWith("every-hour-");
        (await _fixture.Server.WaitClosedAsync(started, Deadline)).Status.Should().Be("Completed");
        show.Stdout.Should().Contain("paused (maintenance window)").And.Contain("every 1h").And.Contain(started);
        JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Select(s => s.GetProperty("scheduleId").GetString()).Should().Contain("every-hour");

        var delete = await CliRun.InProcessAsync(["schedule", "delete", "every-hour", .. args]);
        var gone = await CliRun.InProcessAsync(["schedule", "show", "every-hour", .. args]);
        delete.ExitCode.Should().Be(0, delete.ToString());
        gone.ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task List_pages_with_after_and_all_follows_every_page_as_it_comes()
    {
        var system = $"paged-{Guid.NewGuid():N}";
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _fixture.Server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 1, target = new { systemId = system } }, $"{system}-{i}")).WorkflowId);
        }

        ids.Reverse();
        string[] filter = ["workflow", "list", "--system", system, "--limit", "2", .. _fixture.ServerArgs];

        var first = await CliRun.InProcessAsync(filter);
        first.ExitCode.Should().Be(0, first.ToString());
        Listed(first.Stdout).Should().Equal(ids[0], ids[1]);
        var hint = System.Text.RegularExpressions.Regex.Match(first.Stderr, "add --after (\\S+) ");
        hint.Success.Should().BeTrue($"a page with more after it names the cursor: {first}");

        var second = await CliRun.InProcessAsync([.. filter, "--after", hint.Groups[1].Value]);
        Listed(second.Stdout).Should().Equal([ids[2], ids[3]], "--after continues after the first page's last run");
        var last = await CliRun.InProcessAsync(["workflow", "list", "--system", system, "--limit", "5", .. _fixture.ServerArgs]);
        Listed(last.Stdout).Should().Equal(ids);
        last.Stderr.Should().NotContain("--after", "nothing follows a page that holds the last run");

        var all = await CliRun.InProcessAsync([.. filter, "--all"]);
        all.ExitCode.Should().Be(0, all.ToString());
        Listed(all.Stdout).Should().Equal(ids, "--all follows the next links to the end, in order, each run once");
        all.Stdout.Split('\n').Count(l => l.StartsWith("ID ", StringComparison.Ordinal)).Should().Be(1, "one header above every page");
        all.Stderr.Should().NotContain("--after");

        var ndjson = await CliRun.InProcessAsync([.. filter, "--all", "--json"]);
        ndjson.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("workflowId").GetString())
            .Should().Equal(ids, "--all --json prints one run per line");
    }

    // The workflow ids of a listing's rows, in order (the tests' ids are unique words).
    private static List<string> Listed(string stdout) =>
        [.. System.Text.RegularExpressions.Regex.Matches(stdout, @"paged-[0-9a-f]{32}-\d").Select(m => m.Value)];
}
