using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using UdcBackup.Server.Api.Runs;
using UdcBackup.Server.Tests.Infrastructure;
using UdcBackup.Workflows.Backup;

namespace UdcBackup.Server.Tests.Cli;

/// <summary>
/// Run lists do not say a bare "Completed" for a backup whose systems failed: the controller counts
/// a closed run's systems and those not ok from the result stored with its row
/// (<see cref="SystemOutcomes"/>), and <c>udc jobs list</c> and <c>udc workflow list</c> print
/// "Completed, 3 of 3 systems not ok", as does the Status line of <c>udc workflow show</c>, read
/// from the run's result. The lists are answered by a stand-in controller with the documents the
/// controller gives.
/// </summary>
public sealed class JobListOutcomeTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private const string Jobs = """
        [{"id":"all-failed","workflowType":"backup.job","status":"Completed","startTime":"2026-01-02T03:04:05Z","closeTime":"2026-01-02T03:05:05Z","systems":3,"systemsNotOk":3},
         {"id":"all-ok","workflowType":"backup.job","status":"Completed","startTime":"2026-01-02T02:04:05Z","closeTime":"2026-01-02T02:05:05Z","systems":2,"systemsNotOk":0},
         {"id":"a-restore","workflowType":"restore","status":"Completed","startTime":"2026-01-02T01:04:05Z","closeTime":"2026-01-02T01:05:05Z"}]
        """;

    private const string Workflows = """
        [{"workflowId":"all-failed","runId":"r1","workflowType":"backup.job","status":"Completed","startTime":"2026-01-02T03:04:05Z","closeTime":"2026-01-02T03:05:05Z","systems":3,"systemsNotOk":3},
         {"workflowId":"all-ok","runId":"r2","workflowType":"backup.job","status":"Completed","startTime":"2026-01-02T02:04:05Z","closeTime":"2026-01-02T02:05:05Z","systems":2,"systemsNotOk":0}]
        """;

    [Fact]
    public void A_backup_result_is_counted_by_its_systems_states_and_other_results_have_no_count()
    {
        SystemOutcomes.Of(Result(SystemRunStatus.Failed, SystemRunStatus.Skipped, SystemRunStatus.Cancelled)).Should().Be(new SystemOutcomes(3, 3));
        SystemOutcomes.Of(Result(SystemRunStatus.Succeeded, SystemRunStatus.Failed)).Should().Be(new SystemOutcomes(2, 1));
        SystemOutcomes.Of(Result(SystemRunStatus.Succeeded)).Should().Be(new SystemOutcomes(1, 0));
        SystemOutcomes.Of(null).Should().BeNull("a run still going has no result");
        SystemOutcomes.Of(JsonSerializer.SerializeToElement(new { snapshotId = "s", targetSystemId = "db-1", bytes = 1 })).Should().BeNull("a restore reports no systems");
    }

    [Fact]
    public async Task The_lists_say_how_many_systems_of_a_completed_backup_were_not_ok()
    {
        await using var controller = await StandInAsync();

        var jobs = await CliRun.InProcessAsync("jobs", "list", "--server", controller.Url);
        var workflows = await CliRun.InProcessAsync("workflow", "list", "--server", controller.Url);

        jobs.ExitCode.Should().Be(0, jobs.ToString());
        Line(jobs.Stdout, "all-failed").Should().Contain("Completed, 3 of 3 systems not ok");
        Line(jobs.Stdout, "all-ok").Should().Contain("Completed").And.NotContain("not ok");
        Line(jobs.Stdout, "a-restore").Should().Contain("Completed").And.NotContain("not ok");
        workflows.ExitCode.Should().Be(0, workflows.ToString());
        Line(workflows.Stdout, "all-failed").Should().Contain("Completed, 3 of 3 systems not ok");
        Line(workflows.Stdout, "all-ok").Should().NotContain("not ok");
    }

    [Fact]
    public async Task Workflow_show_of_a_completed_backup_says_how_many_systems_were_not_ok()
    {
        await using var controller = await StandInAsync();

        var failed = await CliRun.InProcessAsync("workflow", "show", "all-failed", "--server", controller.Url);
        var ok = await CliRun.InProcessAsync("workflow", "show", "all-ok", "--server", controller.Url);

        failed.ExitCode.Should().Be(0, failed.ToString());
        Line(failed.Stdout, "Status").Should().Contain("Completed, 1 of 2 systems not ok");
        ok.ExitCode.Should().Be(0, ok.ToString());
        Line(ok.Stdout, "Status").TrimEnd().Should().EndWith("Completed");
    }

    // What GET /api/workflows/{id} answers for a closed backup whose systems ended as given.
    private static string Details(string id, params SystemRunStatus[] states) => JsonSerializer.Serialize(
        new
        {
            workflowId = id, runId = "r", workflowType = "backup.job", status = "Completed",
            startTime = "2026-01-02T03:04:05Z", closeTime = "2026-01-02T03:05:05Z",
            result = Result(states), pendingActivities = Array.Empty<object>(), history = Array.Empty<object>(),
        },
        Web);

    // What the runtime stores as a backup's result (the workflow's own type, the runtime's web JSON).
    private static JsonElement Result(params SystemRunStatus[] states) =>
        JsonSerializer.SerializeToElement(
            new BackupJobResult("run", "job", "done", [.. states.Select((s, i) => new SystemBackupResult($"system-{i}", s))], 1),
            Web);

    private static string Line(string text, string id) => text.Split('\n').Single(l => l.Contains(id, StringComparison.Ordinal));

    private static Task<StandInController> StandInAsync() => StandInController.StartAsync(app =>
        {
            app.MapGet("/api/jobs", () => Results.Text(Jobs, "application/json"));
            app.MapGet("/api/workflows", () => Results.Text(Workflows, "application/json"));
            app.MapGet("/api/workflows/{id}", (string id) => Results.Text(
                id == "all-failed" ? Details(id, SystemRunStatus.Succeeded, SystemRunStatus.Failed) : Details(id, SystemRunStatus.Succeeded), "application/json"));
        });
}
