using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Server.Tests.Auth;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Api;

/// <summary>
/// A workflow's input is checked where the operator gives it: a value out of range, a missing
/// required field or a value of the wrong JSON type is a 400 naming the field and what it takes,
/// from the API and the CLI alike, and no run (or schedule) exists afterwards. A start on a
/// workflow id whose earlier run is closed still starts a new run, and says which run the id had.
/// </summary>
public sealed class WorkflowStartInputTests : IClassFixture<SharedServerFixture>
{
    private readonly SharedServerFixture _fixture;

    public WorkflowStartInputTests(SharedServerFixture fixture)
    {
        _fixture = fixture;
    }

    public static TheoryData<string, string?, string> RefusedInputs() => new()
    {
        { "diag.steps", """{"steps":-1}""", "Input of workflow 'diag.steps' is invalid: steps must be between 1 and 10000, was -1." },
        { "diag.steps", """{"stepMillis":-5,"cleanupMillis":3600001}""", "stepMillis must be between 0 and 3600000, was -5; cleanupMillis must be between 0 and 3600000, was 3600001" },
        { "diag.steps", """{"steps":2,"failAt":3}""", "failAt must be between 1 and steps (2), was 3" },
        { "diag.steps", """{"steps":true}""", "Input does not fit workflow 'diag.steps': steps takes a whole number (digits only, e.g. 100); true is not one." },
        { "diag.steps", "5", "Input does not fit workflow 'diag.steps': the input takes a JSON object with steps, stepMillis, failAt, cleanupMillis; 5 is not one." },
        { "restore", null, "Workflow 'restore' needs an input: a JSON object with runId, snapshotId," },
        { "restore", """{"runId":"r 1","snapshotId":"s1"}""", "runId 'r 1' must be 1-64 characters" },
        { "restore", "{}", "snapshotId is required (the snapshot to restore); snapshotSystemId is required" },
        { "backup.job", """{"jobId":"nightly"}""", "systems is required (at least one system to back up)" },
        { "backup.job", """{"jobId":"nightly","systems":[{"systemId":"db1"}]}""", "systems[0].agentEndpoint is required" },
        { "backup.job", """{"jobId":"nightly","retention":{"keepLast":-1}}""", "retention.keepLast must be at least 0, was -1" },
        { "backup.job", """{"systems":[{"systemId":"db1","dataSets":"all"}]}""", "Input does not fit workflow 'backup.job': systems[0].dataSets takes a list (JSON array); \"all\" is not one." },
        { "flow", """{"flowId":"nightly","version":-2}""", "version must be at least 0, was -2; definition is required" },
        { "flow", """{"flowId":7}""", "flowId takes text; 7 is not one." },
    };

    [Theory]
    [MemberData(nameof(RefusedInputs))]
    public async Task A_bad_input_is_a_400_naming_the_field_and_no_run_is_created(string type, string? input, string detail)
    {
        var before = await _fixture.Server.GetRawAsync("/api/workflows");
        var body = $$"""{"type":"{{type}}","input":{{input ?? "null"}},"id":"refused-{{Guid.NewGuid():N}}"}""";
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await _fixture.Server.Http.PostAsync(new Uri("/api/workflows", UriKind.Relative), content);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString().Should().Contain(detail);
        (await _fixture.Server.GetRawAsync("/api/workflows")).Should().Be(before, "a refused start creates no run");
    }

    [Fact]
    public async Task The_CLI_refuses_a_bad_input_with_exit_code_2_and_the_field_in_the_message()
    {
        var before = await _fixture.Server.GetRawAsync("/api/workflows");

        var result = await CliRun.InProcessAsync(["workflow", "start", "diag.steps", "--input", """{"steps":-1}""", .. _fixture.ServerArgs]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("steps must be between 1 and 10000, was -1");
        result.Stdout.Should().BeEmpty();
        (await _fixture.Server.GetRawAsync("/api/workflows")).Should().Be(before, "a refused start creates no run");
    }

    [Fact]
    public async Task A_schedule_with_a_bad_input_is_refused_before_it_is_stored()
    {
        var before = await _fixture.Server.GetRawAsync("/api/schedules");

        using var response = await _fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/schedules", UriKind.Relative),
            new { id = $"bad-input-{Guid.NewGuid():N}", workflowType = "diag.steps", input = new { steps = 0 }, interval = "01:00:00" },
            ControllerClient.JsonOptions);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString().Should().Contain("steps must be between 1 and 10000, was 0");
        (await _fixture.Server.GetRawAsync("/api/schedules")).Should().Be(before);
    }

    [Fact]
    public async Task A_valid_input_and_no_input_for_a_workflow_that_has_defaults_still_start()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];

        var given = await _fixture.Server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 1, failAt = 1 }, $"valid-{tag}");
        var defaults = await _fixture.Server.StartWorkflowAsync("diag.steps", null, $"defaults-{tag}");

        (await _fixture.Server.WaitClosedAsync(given.WorkflowId, TimeSpan.FromSeconds(30))).Status.Should().Be("Failed", "failAt fails the step on purpose");
        (await _fixture.Server.WaitClosedAsync(defaults.WorkflowId, TimeSpan.FromSeconds(30))).Status.Should().Be("Completed");
        given.PreviousRun.Should().BeNull("the id is new");
    }

    [Fact]
    public async Task A_start_on_a_closed_id_starts_a_new_run_and_names_the_earlier_one()
    {
        var id = $"reused-{Guid.NewGuid():N}";
        var first = await _fixture.Server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 1 }, id);
        await _fixture.Server.WaitClosedAsync(id, TimeSpan.FromSeconds(30));

        var second = await CliRun.InProcessAsync(["workflow", "start", "diag.steps", "--id", id, "--input", """{"steps":1,"stepMillis":1}""", .. _fixture.ServerArgs]);

        second.ExitCode.Should().Be(0, second.ToString());
        second.Stdout.Trim().Should().Be(id, "standard output stays the workflow id");
        second.Stderr.Should().Contain($"note: workflow id '{id}' had an earlier run {first.RunId} (diag.steps, Completed, closed ");
        await _fixture.Server.WaitClosedAsync(id, TimeSpan.FromSeconds(30));

        var third = await CliRun.InProcessAsync(["workflow", "start", "diag.steps", "--id", id, "--input", """{"steps":1,"stepMillis":1}""", "--json", .. _fixture.ServerArgs]);

        third.ExitCode.Should().Be(0, third.ToString());
        var answer = JsonDocument.Parse(third.Stdout).RootElement;
        var previous = answer.GetProperty("previousRun");
        previous.GetProperty("runId").GetString().Should().NotBe(first.RunId, "the earlier run is the latest one, the second start's");
        previous.GetProperty("status").GetString().Should().Be("Completed");
        answer.GetProperty("runId").GetString().Should().NotBe(previous.GetProperty("runId").GetString());
        third.Stderr.Should().Contain($"had an earlier run {previous.GetProperty("runId").GetString()}");
        await _fixture.Server.WaitClosedAsync(id, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_new_id_gets_no_note()
    {
        var id = $"fresh-{Guid.NewGuid():N}";

        var result = await CliRun.InProcessAsync(["workflow", "start", "diag.steps", "--id", id, "--input", """{"steps":1,"stepMillis":1}""", .. _fixture.ServerArgs]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stderr.Should().BeEmpty();
        await _fixture.Server.WaitClosedAsync(id, TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("/api/workflows?status=bogus")]
    [InlineData("/api/live/workflows?status=bogus")]
    public async Task A_status_that_is_not_one_of_its_names_is_a_400_listing_them(string path)
    {
        using var response = await _fixture.Server.Http.GetAsync(new Uri(path, UriKind.Relative));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString().Should().Be("Unknown status 'bogus'. Use one of: Running, Completed, Failed, Canceled, ContinuedAsNew.");
    }
}
