using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Cli;

/// <summary>
/// <c>udc jobs show</c> of a backup run that continued past a failed system: the workflow
/// completes, and the page's first line says how many systems were not ok instead of a bare
/// "Completed" above a table of failures; a failed restore's progress line says it failed, not
/// the phase its cleanup reached; a followed run whose controller stops is said to go on. The run is answered by a stand-in for
/// <c>GET /api/jobs/{id}</c> with the document the controller gives for such a run.
/// </summary>
public sealed class JobOutcomeViewTests
{
    private const string CompletedWithAFailedSystem = """
        {"id":"backup-1","workflowType":"backup.job","status":"Completed","startTime":"2026-01-02T03:04:05Z","closeTime":"2026-01-02T03:05:05Z",
         "progress":{"runId":"backup-1","jobId":"nightly","phase":"done","systems":[
             {"systemId":"web-1","status":"Succeeded","level":"full","bytes":2048,"files":3,"snapshotId":"0123456789abcdef"},
             {"systemId":"db-1","status":"Failed","step":"choose level","level":"full","bytes":0,"files":0,"error":"the disk agent of db-1 did not answer"}]},
         "runningTransfers":[],"failure":null}
        """;

    private const string CompletedAllOk = """
        {"id":"backup-2","workflowType":"backup.job","status":"Completed","startTime":"2026-01-02T03:04:05Z","closeTime":"2026-01-02T03:05:05Z",
         "progress":{"runId":"backup-2","jobId":"nightly","phase":"done","systems":[
             {"systemId":"web-1","status":"Succeeded","level":"full","bytes":2048,"files":3,"snapshotId":"0123456789abcdef"}]},
         "runningTransfers":[],"failure":null}
        """;

    private const string FailedRestore = """
        {"id":"restore-3","workflowType":"restore","status":"Failed","startTime":"2026-01-02T03:04:05Z","closeTime":"2026-01-02T03:05:05Z",
         "progress":{"runId":"restore-3","snapshotId":"0123456789abcdef","snapshotSystemId":"app-1","targetSystemId":"app-1","phase":"closing windows",
                     "bytes":0,"files":0,"programsStarted":true,"windowsClosed":1},
         "runningTransfers":[],"failure":"Activity 'data.stream-restore' failed: the disk agent refused"}
        """;

    [Fact]
    public async Task A_failed_restore_does_not_show_the_phase_its_cleanup_reached_as_if_it_were_still_going()
    {
        await using var controller = await StandInAsync();

        var page = await CliRun.InProcessAsync("jobs", "show", "restore-3", "--once", "--server", controller.Url);

        page.ExitCode.Should().Be(0, page.ToString());
        page.Stdout.Should().NotContain("closing windows").And.Contain("failure: Activity 'data.stream-restore' failed");
        page.Stdout.Split('\n')[1].Should().EndWith("failed");
    }

    [Fact]
    public async Task A_completed_backup_with_a_failed_system_says_so_in_its_first_line()
    {
        await using var controller = await StandInAsync();

        var failed = await CliRun.InProcessAsync("jobs", "show", "backup-1", "--once", "--server", controller.Url);
        var ok = await CliRun.InProcessAsync("jobs", "show", "backup-2", "--once", "--server", controller.Url);

        failed.ExitCode.Should().Be(0, failed.ToString());
        FirstLine(failed.Stdout).Should().Contain("backup-1 (backup.job): Completed with 1 of 2 systems not ok (db-1 failed), started");
        ok.ExitCode.Should().Be(0, ok.ToString());
        FirstLine(ok.Stdout).Should().Contain("backup-2 (backup.job): Completed, started");
    }

    [Fact]
    public async Task Following_a_run_whose_controller_stops_says_the_run_goes_on_and_how_to_follow_it_again()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.MapGet("/api/jobs/{id}", (string id, HttpContext context) =>
        {
            // The first answer is a running run; then the controller goes away.
            context.Response.OnCompleted(() =>
            {
                answered.TrySetResult();
                return Task.CompletedTask;
            });
            return Results.Text(CompletedAllOk.Replace("\"status\":\"Completed\"", "\"status\":\"Running\"", StringComparison.Ordinal), "application/json");
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var stopping = answered.Task.ContinueWith(_ => app.StopAsync(), TaskScheduler.Default).Unwrap();

        var followed = await CliRun.InProcessAsync("jobs", "show", "backup-2", "--follow", "--server", url);
        await stopping;
        await app.DisposeAsync();

        followed.ExitCode.Should().Be(1, followed.ToString());
        followed.Stderr.Should().StartWith("udc: stopped following backup-2: ").And.Contain("goes on when the controller is back").And.Contain("udc jobs show backup-2");
    }

    private static string FirstLine(string text) => text.TrimStart().Split('\n')[0];

    private static Task<StandInController> StandInAsync() => StandInController.StartAsync(app =>
        {
            app.MapGet("/api/jobs/{id}", (string id) => Results.Text(id switch { "backup-1" => CompletedWithAFailedSystem, "restore-3" => FailedRestore, _ => CompletedAllOk }, "application/json"));
        });
}
