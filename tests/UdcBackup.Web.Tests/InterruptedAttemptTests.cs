using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Testing;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// An attempt cut by a controller stop, as the run page shows it. The test runs its own controller
/// (the shared one serves every other test and the demo's agents, so it is never stopped): it
/// starts the built-in <c>diag.steps</c> self-test with one long step, kills the controller once
/// the step has heartbeaten (so its attempt is recorded as started), and starts it again on the
/// same data directory. Recovery records the cut attempt as <c>ActivityTaskAttemptInterrupted</c>
/// and runs attempt 2; the page must say so in the step's timeline line, not show it as a failure,
/// and show the step running its second attempt, in the timeline (history has no start event for
/// it yet: the pending record says it started) and in the live graph (running, not retrying).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InterruptedAttemptTests(BrowserFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_step_cut_by_a_controller_restart_shows_its_interrupted_attempt_as_a_note_and_runs_again()
    {
        await using var server = await ServerProcess.StartAsync(environment: new Dictionary<string, string> { ["UDC_WEBROOT"] = RepoPaths.RequireBuiltWebApp() });
        const string id = "web-interrupted";

        // One step of 2 minutes: long enough to be running still while the page is checked after the restart.
        using (var started = await server.Http.PostAsync(
            new Uri("/api/workflows", UriKind.Relative),
            JsonContent("""{"type":"diag.steps","id":"web-interrupted","input":{"steps":1,"stepMillis":120000,"cleanupMillis":0}}""")))
        {
            started.IsSuccessStatusCode.Should().BeTrue(await started.Content.ReadAsStringAsync());
        }

        await Wait.UntilAsync(async () => (await PendingStepAsync(server, id))?.TryGetProperty("lastHeartbeatTime", out var beat) == true && beat.ValueKind == JsonValueKind.String, Deadline, "the step to heartbeat (its attempt recorded as started)");
        await server.RestartAsync(new Dictionary<string, string> { ["UDC_WEBROOT"] = RepoPaths.RequireBuiltWebApp() });
        await Wait.UntilAsync(async () => (await server.Http.GetStringAsync(new Uri($"/api/workflows/{id}", UriKind.Relative))).Contains("ActivityTaskAttemptInterrupted", StringComparison.Ordinal), Deadline, "recovery to record the interrupted attempt");

        var page = await fixture.NewPageAsync(server.BaseAddress);
        await page.GotoAsync($"/runs/{id}");
        await BrowserFixture.SignInAsync(page, "admin", server.AdminPassword);
        var step = page.GetByRole(AriaRole.List, new() { Name = "History timeline" }).Locator("li.tl", new() { Has = page.Locator(".tl-title", new() { HasTextRegex = new Regex(@"^diag\.step$") }) });
        await Expect(step.Locator(".tl-failure")).ToHaveTextAsync("attempt 1 interrupted (controller stopped); not counted");
        await Expect(step).ToHaveAttributeAsync("data-state", "running");
        await Expect(step.Locator(".tl-attempts")).ToHaveTextAsync("attempt 2");
        await Expect(step).Not.ToContainTextAsync("failed");
        await Expect(page.Locator(".page-header .badge[data-status='Running']")).ToBeVisibleAsync();

        // The live graph agrees: the step runs again (attempt 2), it is not retrying after a failure.
        var node = page.GetByTestId("live-graph").GetByTestId("live-node-diag.step-1");
        await Expect(node).ToHaveAttributeAsync("data-state", "running");
        await Expect(node).ToContainTextAsync("attempt 2");
        await BrowserFixture.ScreenshotAsync(page, "run-interrupted-attempt");
        await page.Context.CloseAsync();
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonElement?> PendingStepAsync(ServerProcess server, string id)
    {
        using var details = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri($"/api/workflows/{id}", UriKind.Relative)));
        return details.RootElement.TryGetProperty("pendingActivities", out var pending) && pending.GetArrayLength() > 0 ? pending[0].Clone() : null;
    }
}
