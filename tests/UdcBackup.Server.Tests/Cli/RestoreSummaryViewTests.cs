using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Cli;

/// <summary>
/// <c>udc jobs show</c> of a restore onto a system that already held the snapshot: the restore
/// wrote nothing, and the page says how many files (and bytes) were already correct instead of a
/// bare "0 B 0 files" that reads as an empty snapshot. The run is answered by a stand-in for
/// <c>GET /api/jobs/{id}</c> with the document the controller gives for a closed restore.
/// </summary>
public sealed class RestoreSummaryViewTests
{
    private const string ClosedRestore = """
        {"id":"restore-1","workflowType":"restore","status":"Completed","startTime":"2026-01-02T03:04:05Z","closeTime":"2026-01-02T03:05:05Z",
         "progress":{"runId":"restore-1","snapshotId":"0123456789abcdef","snapshotSystemId":"app-1","targetSystemId":"app-1","phase":"done",
                     "bytes":0,"files":0,"programsStarted":true,"windowsClosed":2,"alreadyCorrectFiles":412,"alreadyCorrectBytes":1288490189},
         "runningTransfers":[],"failure":null}
        """;

    private const string RestoreOfNewFiles = """
        {"id":"restore-2","workflowType":"restore","status":"Completed","startTime":"2026-01-02T03:04:05Z","closeTime":"2026-01-02T03:05:05Z",
         "progress":{"runId":"restore-2","snapshotId":"0123456789abcdef","snapshotSystemId":"app-1","targetSystemId":"app-1","phase":"done",
                     "bytes":2048,"files":3,"programsStarted":true,"windowsClosed":2},
         "runningTransfers":[],"failure":null}
        """;

    [Fact]
    public async Task A_restore_that_found_everything_in_place_says_how_much_was_already_correct()
    {
        await using var controller = await StandInAsync();

        var page = await CliRun.InProcessAsync("jobs", "show", "restore-1", "--once", "--server", controller.Url);
        var written = await CliRun.InProcessAsync("jobs", "show", "restore-2", "--once", "--server", controller.Url);
        var followed = await CliRun.InProcessAsync("jobs", "show", "restore-1", "--follow", "--server", controller.Url);

        page.ExitCode.Should().Be(0, page.ToString());
        page.Stdout.Should().Contain("app-1: 0 B written, 0 files; 412 files (1.2 GiB) already correct");
        written.ExitCode.Should().Be(0, written.ToString());
        written.Stdout.Should().Contain("app-1: 2.0 KiB written, 3 files").And.NotContain("already correct", "nothing was in place before");
        followed.ExitCode.Should().Be(0, followed.ToString());
        followed.Stdout.Should().MatchRegex(@"app-1 +Completed +0 B +0 files; 412 files \(1\.2 GiB\) already correct", "the --follow line of the row says it too");
    }

    private static Task<StandInController> StandInAsync() => StandInController.StartAsync(app =>
        {
            app.MapGet("/api/jobs/{id}", (string id) => Results.Text(id == "restore-1" ? ClosedRestore : RestoreOfNewFiles, "application/json"));
        });
}
