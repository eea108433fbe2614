using System.Text.Json;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The page of a completed restore says what it wrote and what the target already held as the
/// snapshot has it ("0 B written, 0 files; 412 files (1.2 GiB) already correct"), not only a
/// result where "bytes": 0 reads as an empty snapshot. The run's live stream is answered with the
/// document the controller sends for such a run (the demo's restores need a real backup first).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RestoreSummaryTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_restore_onto_a_system_that_already_held_the_snapshot_shows_what_was_already_correct()
    {
        var page = await fixture.SignedInPageAsync("/runs");
        await AnswerRunAsync(page, "restore-canned-1", new { bytes = 0, files = 0, alreadyCorrectFiles = 412, alreadyCorrectBytes = 1_288_490_189 });
        await AnswerRunAsync(page, "restore-canned-2", new { bytes = 2048, files = 3 });

        await page.GotoAsync("/runs/restore-canned-1");
        await Expect(page.GetByTestId("restore-summary")).ToHaveTextAsync("0 B written, 0 files; 412 files (1.2 GiB) already correct");
        await BrowserFixture.ScreenshotAsync(page, "restore-already-correct");

        await page.GotoAsync("/runs/restore-canned-2");
        await Expect(page.GetByTestId("restore-summary")).ToHaveTextAsync("2.0 KiB written, 3 files");
    }

    private static async Task AnswerRunAsync(IPage page, string id, object counts)
    {
        var result = JsonSerializer.SerializeToElement(counts);
        var run = new Dictionary<string, object?>
        {
            ["workflowId"] = id,
            ["runId"] = "run-1",
            ["workflowType"] = "restore",
            ["status"] = "Completed",
            ["startTime"] = "2026-01-02T03:04:05Z",
            ["closeTime"] = "2026-01-02T03:05:05Z",
            ["input"] = new { snapshotId = DemoSite.SnapshotId, targetSystemId = DemoSite.FilesSystem },
            ["result"] = result,
            ["pendingActivities"] = Array.Empty<object>(),
            ["history"] = Array.Empty<object>(),
        };
        var stream = $"event: run\ndata: {JsonSerializer.Serialize(run)}\n\nevent: nodes\ndata: []\n\nevent: end\ndata: {{}}\n\n";
        await page.RouteAsync($"**/api/live/workflows/{id}", route => route.FulfillAsync(new() { Status = 200, ContentType = "text/event-stream", Body = stream }));
        await page.RouteAsync($"**/api/workflows/{id}/nodes", route => route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = "[]" }));
    }
}
