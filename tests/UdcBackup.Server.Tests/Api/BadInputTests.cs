using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Api;

/// <summary>
/// Bad input is rejected with a clear message and nothing is written: problem details from the
/// API, a message on stderr and exit code 2 from the CLI, and the workflow and schedule listings
/// unchanged afterwards.
/// </summary>
public sealed class BadInputTests : IClassFixture<SharedServerFixture>
{
    private readonly SharedServerFixture _fixture;

    public BadInputTests(SharedServerFixture fixture)
    {
        _fixture = fixture;
    }

    public static TheoryData<string[], string> CliCases() => new()
    {
        { ["workflow", "start", "no.such.type", "--input", "{}"], "Unknown workflow type 'no.such.type'" },
        { ["workflow", "start", "backup.refused", "--input", "{}"], "Workflow type 'backup.refused' is internal" },
        { ["workflow", "start", "diag.steps", "--input", "{\"steps\":\"many\"}"], "Input does not fit workflow 'diag.steps'" },
        { ["workflow", "show", "no-such-run"], "No workflow execution with id 'no-such-run'" },
        { ["workflow", "signal", "no-such-run", "go", "--input", "1"], "No workflow execution with id 'no-such-run'" },
        { ["workflow", "cancel", "no-such-run"], "No workflow execution with id 'no-such-run'" },
        { ["workflow", "list", "--status", "Sleeping"], "Unknown status 'Sleeping'" },
        { ["workflow", "list", "--limit", "0"], "limit must be between 1 and 1000" },
        { ["workflow", "list", "--since", "yesterday"], "--since: 'yesterday' is neither a duration" },
        { ["workflow", "list", "--until", "2026-13-40T00:00:00Z"], "--until: '2026-13-40T00:00:00Z' is neither a duration" },
        { ["workflow", "list", "--since", "1h", "--until", "2h"], "--since (1h, " },
        { ["workflow", "list", "--since", "2021-01-01", "--until", "2020-01-01"], "--since (2021-01-01, 2021-01-01T00:00:00.000Z) must be earlier than --until (2020-01-01, 2020-01-01T00:00:00.000Z)." },
        { ["workflow", "start", "diag.steps", "--input", "{}", "--id", "bad id with spaces"], "id 'bad id with spaces' is not a valid workflow id: use letters, digits, '.', '-', '_' and ':' only" },
        { ["workflow", "list", "--system", " "], "--system: give a system id." },
        { ["schedule", "create", "bad-cron", "--type", "diag.steps", "--cron", "61 * * * *"], "Cron expression '61 * * * *' is not valid: the minute field '61' is out of range or malformed; it takes 0-59" },
        { ["schedule", "create", "bad-dow", "--type", "diag.steps", "--cron", "0 2 * * 7-9"], "the day of week field '7-9' is out of range or malformed; it takes 0-6" },
        { ["schedule", "create", "bad-zone", "--type", "diag.steps", "--cron", "0 2 * * *", "--time-zone", "Nowhere/Town"], "Unknown time zone 'Nowhere/Town'" },
        { ["schedule", "create", "bad-type", "--type", "no.such.type", "--every", "1h"], "Unknown workflow type 'no.such.type'" },
        { ["schedule", "create", "internal-type", "--type", "backup.refused", "--every", "1h"], "Workflow type 'backup.refused' is internal" },
        { ["schedule", "create", "bad-overlap", "--type", "diag.steps", "--every", "1h", "--overlap", "Sometimes"], "Unknown overlapPolicy 'Sometimes'" },
        { ["schedule", "show", "no-such-schedule"], "No schedule with id 'no-such-schedule'" },
        { ["schedule", "pause", "no-such-schedule"], "No schedule with id 'no-such-schedule'" },
        { ["schedule", "trigger", "no-such-schedule"], "No schedule with id 'no-such-schedule'" },
        { ["schedule", "delete", "no-such-schedule"], "No schedule with id 'no-such-schedule'" },
    };

    [Theory]
    [MemberData(nameof(CliCases))]
    public async Task The_CLI_reports_rejected_input_with_exit_code_2_and_nothing_is_written(string[] args, string message)
    {
        var workflowsBefore = await _fixture.Server.GetRawAsync("/api/workflows");
        var schedulesBefore = await _fixture.Server.GetRawAsync("/api/schedules");

        var result = await CliRun.InProcessAsync([.. args, .. _fixture.ServerArgs]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain(message);
        result.Stdout.Should().BeEmpty();
        (await _fixture.Server.GetRawAsync("/api/workflows")).Should().Be(workflowsBefore, "a rejected request writes nothing");
        (await _fixture.Server.GetRawAsync("/api/schedules")).Should().Be(schedulesBefore, "a rejected request writes nothing");
    }

    [Theory]
    [InlineData("workflow", "start", "no.such.type")]
    [InlineData("schedule", "create", "x", "--every", "1h", "--type", "no.such.type")]
    public async Task The_known_types_offered_for_an_unknown_type_leave_out_internal_ones(params string[] args)
    {
        var result = await CliRun.InProcessAsync([.. args, .. _fixture.ServerArgs]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("Known types: ").And.Contain("diag.steps").And.NotContain("backup.refused");
        var types = await _fixture.Server.GetRawAsync("/api/workflow-types");
        types.Should().Contain("backup.refused", "its runs are still listed and filtered by type");
        var startable = await _fixture.Server.GetRawAsync("/api/workflow-types?startable=true");
        startable.Should().Contain("diag.steps").And.NotContain("backup.refused", "the web's Start run form offers these");
    }

    [Theory]
    [InlineData("/api/workflows", "{\"type\": ")]
    [InlineData("/api/workflows", "[1, 2")]
    public async Task Malformed_JSON_is_a_400_problem_that_says_where(string path, string body)
    {
        var before = await _fixture.Server.GetRawAsync("/api/workflows");
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _fixture.Server.Http.PostAsync(new Uri(path, UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be(400);
        problem.GetProperty("detail").GetString().Should().Contain("LineNumber");
        (await _fixture.Server.GetRawAsync("/api/workflows")).Should().Be(before);
    }

    [Theory]
    [InlineData("POST", "/api/schedules", "{\"id\": \"x\", \"workflowType\": \"diag.steps\", \"interval\": \"10 minutes\"}", "interval")]
    [InlineData("PUT", "/api/schedules/x", "{\"workflowType\": \"diag.steps\", \"interval\": \"10 minutes\"}", "interval")]
    [InlineData("POST", "/api/schedules", "{\"id\": \"x\", \"workflowType\": \"diag.steps\", \"interval\": \"01:00:00\", \"catchupWindow\": \"an hour\"}", "catchupWindow")]
    public async Task A_body_field_of_the_wrong_type_is_a_400_problem_naming_the_field_and_its_format(string method, string path, string body, string field)
    {
        var before = await _fixture.Server.GetRawAsync("/api/schedules");
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        using var response = await _fixture.Server.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        detail.Should().StartWith($"Field '{field}' takes a duration as hh:mm:ss or d.hh:mm:ss (e.g. 01:30:00, 1.00:00:00); the value sent (line 1, position ");
        detail.Should().NotContain("CreateScheduleRequest").And.NotContain("System.");
        (await _fixture.Server.GetRawAsync("/api/schedules")).Should().Be(before, "a rejected request writes nothing");
    }

    [Theory]
    [InlineData("bad id with spaces")]
    [InlineData("a/b")]
    [InlineData("tab\tid")]
    public async Task A_workflow_id_that_is_not_a_token_is_a_400_problem_and_nothing_starts(string id)
    {
        var before = await _fixture.Server.GetRawAsync("/api/workflows");

        using var response = await _fixture.Server.Http.PostAsJsonAsync(new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", input = new { steps = 1, stepMillis = 10 }, id });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        detail.Should().Contain($"id '{id}' is not a valid workflow id");
        (await _fixture.Server.GetRawAsync("/api/workflows")).Should().Be(before, "a refused start starts nothing");
    }

    [Theory]
    [InlineData("/api/jobs?limit=abc", "Query parameter 'limit' takes a whole number (digits only, e.g. 100); 'abc' is not one.")]
    [InlineData("/api/workflows?type=diag.steps&limit=1.5", "Query parameter 'limit' takes a whole number (digits only, e.g. 100); '1.5' is not one.")]
    [InlineData("/api/audit?limit=many", "Query parameter 'limit' takes a whole number (digits only, e.g. 100); 'many' is not one.")]
    [InlineData("/api/site?version=latest", "Query parameter 'version' takes a whole number (digits only, e.g. 100); 'latest' is not one.")]
    public async Task A_query_value_of_the_wrong_type_is_a_400_problem_naming_the_parameter(string path, string detail)
    {
        using var response = await _fixture.Server.Http.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be(400);
        problem.GetProperty("detail").GetString().Should().Be(detail);
    }

    [Fact]
    public async Task An_unknown_id_is_a_404_problem()
    {
        using var response = await _fixture.Server.Http.GetAsync(new Uri("/api/workflows/nobody-here", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_duplicate_running_id_is_a_409_and_exit_code_2()
    {
        await _fixture.Server.StartWorkflowAsync("diag.steps", new { steps = 1, stepMillis = 30_000, cleanupMillis = 10 }, "dup-id");
        try
        {
            var result = await CliRun.InProcessAsync(["workflow", "start", "diag.steps", "--id", "dup-id", .. _fixture.ServerArgs]);

            result.ExitCode.Should().Be(2, result.ToString());
            result.Stderr.Should().Contain("dup-id").And.Contain("already");
            result.Stderr.Should().Contain("udc workflow cancel dup-id", "the refusal says what the operator can do about it");
        }
        finally
        {
            // Let it close before the next test: the listings other tests compare must stand still.
            await CliRun.InProcessAsync(["workflow", "cancel", "dup-id", .. _fixture.ServerArgs]);
            await _fixture.Server.WaitClosedAsync("dup-id", TimeSpan.FromSeconds(30));
        }
    }
}
