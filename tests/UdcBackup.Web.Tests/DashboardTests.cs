using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Testing;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>The dashboard against a real controller: runs appear live, details follow a run to its end, cancel works.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Long = new() { Timeout = 60_000 };

    [Fact]
    public async Task A_started_run_shows_in_the_list_and_its_detail_follows_it_to_completed()
    {
        var page = await fixture.SignedInPageAsync("/runs");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();

        // Started after the page is open: only the live stream can bring it into the list.
        var id = $"web-run-{Guid.NewGuid():N}";
        await StartAsync(id, new { steps = 3, stepMillis = 300 });
        var row = page.Locator($"tr[data-workflow-id='{id}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator(".badge")).ToHaveTextAsync(new Regex("Running|Completed"));

        await row.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/runs/{id}$"));
        await Expect(page.Locator(".page-header .badge[data-status='Completed']")).ToBeVisibleAsync(Long);

        // Three steps and the cleanup, each a completed activity line, then the run's own end.
        var timeline = page.GetByRole(AriaRole.List, new() { Name = "History timeline" });
        await Expect(timeline.Locator("li.tl-completed", new() { HasText = "diag.step" })).ToHaveCountAsync(3);
        await Expect(timeline.Locator("li.tl-completed", new() { HasText = "diag.cleanup" })).ToHaveCountAsync(1);
        await Expect(timeline.Locator("li", new() { HasText = "run completed" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" })).ToBeDisabledAsync();

        // The live graph of a built-in workflow: its steps as the server derives them, all done.
        var graph = page.GetByTestId("live-graph");
        await Expect(graph.Locator(".lnode")).ToHaveCountAsync(4, new() { Timeout = 60_000 });
        await Expect(graph.Locator(".lnode[data-state='done']")).ToHaveCountAsync(4);
        // Joined one after another: three arrows, each from a step to the next.
        await Expect(graph.Locator(".react-flow__edge")).ToHaveCountAsync(3);
        await Expect(graph.Locator(".react-flow__edge[data-id='e-diag.step-1-next-diag.step-2']")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "run-detail");

        // Back through the navigation: the list shows the run's final status.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        await Expect(page.Locator($"tr[data-workflow-id='{id}'] .badge")).ToHaveTextAsync("Completed");
        await BrowserFixture.ScreenshotAsync(page, "dashboard");
    }

    [Fact]
    public async Task Cancel_from_the_detail_page_ends_the_run_canceled_after_its_cleanup()
    {
        var id = $"web-cancel-{Guid.NewGuid():N}";
        // A cleanup of 2 s: the note that it comes next is on the page while it runs.
        await StartAsync(id, new { steps = 50, stepMillis = 2000, cleanupMillis = 2000 });
        var page = await fixture.SignedInPageAsync($"/runs/{id}");

        // A pending step with a heartbeat is what an operator sees while a run works.
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Pending activities" }).Locator("td", new() { HasText = "diag.step" })).ToBeVisibleAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync("stopped by the web test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
        var recorded = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Cancellation recorded; cleanup runs next." });
        await Expect(recorded).ToBeVisibleAsync();

        // Closed, the run says how it ended; the note that its cleanup comes next is gone.
        await Expect(page.Locator(".page-header .badge[data-status='Canceled']")).ToBeVisibleAsync(Long);
        await Expect(recorded).ToHaveCountAsync(0);
        await Expect(page.Locator(".failure-card")).ToContainTextAsync("stopped by the web test");
        // Why it ended is headed as a cancel, not as a failure: nothing went wrong.
        await Expect(page.Locator(".failure-card h2")).ToHaveTextAsync("Canceled");
        await Expect(page.Locator("li.tl", new() { HasText = "cancel requested" })).ToBeVisibleAsync();
        await Expect(page.Locator("li.tl-completed", new() { HasText = "diag.cleanup" })).ToBeVisibleAsync();

        // The step the cancel cut has no outcome in the history: once the run is closed it reads
        // canceled and ends at the close, not "scheduled" with a duration that keeps growing.
        var timeline = page.GetByRole(AriaRole.List, new() { Name = "History timeline" });
        await Expect(timeline.Locator("li.tl-canceled .tl-title", new() { HasTextRegex = new Regex("^diag\\.step$") })).ToHaveCountAsync(1);
        await Expect(timeline.Locator("li[data-state='scheduled'], li[data-state='running']")).ToHaveCountAsync(0);

        // In the live graph the cut step reads canceled, not failed: nothing went wrong with it.
        var graph = page.Locator(".live-graph");
        await Expect(graph.Locator(".lnode[data-state='canceled']")).ToHaveCountAsync(1);
        await Expect(graph.Locator(".lnode[data-state='failed']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_runs_list_says_it_is_loading_until_its_live_stream_answers()
    {
        var id = $"web-load-{Guid.NewGuid():N}";
        await StartAsync(id, new { steps = 1, stepMillis = 0 });
        var page = await fixture.SignedInPageAsync("/schedules");

        // The list's stream is held until the page was seen without it (a slow controller).
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(new Regex(@"/api/live/workflows\?"), async route =>
        {
            await held.Task;
            await route.ContinueAsync();
        });
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        var runs = page.GetByRole(AriaRole.Table, new() { Name = "Runs" });
        await Expect(runs.Locator("tbody")).ToHaveTextAsync("Loading runs…");

        held.SetResult();
        await Expect(runs.Locator($"tr[data-workflow-id='{id}']")).ToBeVisibleAsync();
        await Expect(runs).Not.ToContainTextAsync("Loading runs…");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_completed_backup_whose_systems_failed_says_how_many_in_the_runs_list()
    {
        var page = await fixture.SignedInPageAsync("/schedules");

        // The controller's list answer for two closed backups (the counts come from their stored results).
        const string runs = """
            [{"workflowId":"web-all-failed","runId":"r1","workflowType":"backup.job","status":"Completed","startTime":"2026-01-02T03:04:05Z","closeTime":"2026-01-02T03:05:05Z","systems":3,"systemsNotOk":3},
             {"workflowId":"web-all-ok","runId":"r2","workflowType":"backup.job","status":"Completed","startTime":"2026-01-02T02:04:05Z","closeTime":"2026-01-02T02:05:05Z","systems":2,"systemsNotOk":0}]
            """;
        await page.RouteAsync(new Regex(@"/api/live/workflows\?"), route => route.FulfillAsync(new()
        {
            Status = 200,
            ContentType = "text/event-stream",
            Body = $"event: runs\ndata: {runs.ReplaceLineEndings(string.Empty)}\n\n",
        }));
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        var list = page.GetByRole(AriaRole.Table, new() { Name = "Runs" });

        await Expect(list.Locator("tr[data-workflow-id='web-all-failed'] td").First).ToHaveTextAsync("Completed 3 of 3 systems not ok");
        await Expect(list.Locator("tr[data-workflow-id='web-all-ok'] td").First).ToHaveTextAsync("Completed");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_mouse_wheel_over_the_live_graph_scrolls_the_run_page()
    {
        var id = $"web-wheel-{Guid.NewGuid():N}";
        await StartAsync(id, new { steps = 2, stepMillis = 0 });
        var page = await fixture.SignedInPageAsync($"/runs/{id}");
        await page.SetViewportSizeAsync(1280, 800);
        var graph = page.GetByTestId("live-graph");
        await Expect(graph.Locator(".lnode[data-state='done']")).ToHaveCountAsync(3, new() { Timeout = 60_000 });
        var box = await graph.BoundingBoxAsync();
        box.Should().NotBeNull();
        await page.Mouse.MoveAsync(box!.X + (box.Width / 2), box.Y + (box.Height / 2));
        await page.Mouse.WheelAsync(0, 400);
        // Zooming took the wheel before: the page stayed where it was.
        await page.WaitForFunctionAsync("() => window.scrollY > 0");
    }

    [Fact]
    public async Task Progress_without_a_total_reads_as_words_not_as_json()
    {
        // diag.step heartbeats {"doneMillis": N}: how far it is, with no total for a bar.
        var id = $"web-beat-{Guid.NewGuid():N}";
        await StartAsync(id, new { steps = 1, stepMillis = 300_000, cleanupMillis = 0 });
        try
        {
            await Wait.UntilAsync(async () => (await fixture.Server.Http.GetStringAsync(new Uri($"/api/workflows/{id}", UriKind.Relative))).Contains("doneMillis", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the step to heartbeat its progress");
            var page = await fixture.SignedInPageAsync($"/runs/{id}");

            var step = page.GetByRole(AriaRole.List, new() { Name = "History timeline" }).Locator("li.tl", new() { Has = page.Locator(".tl-title", new() { HasTextRegex = new Regex(@"^diag\.step$") }) });
            await Expect(step.Locator(".tl-pending")).ToContainTextAsync(new Regex(@"done \d+(\.\d)? (ms|s|min)"));
            await Expect(step.Locator(".tl-pending")).Not.ToContainTextAsync("doneMillis");
            var pending = page.GetByRole(AriaRole.Table, new() { Name = "Pending activities" });
            await Expect(pending.GetByTestId("progress-text")).ToHaveTextAsync(new Regex(@"^done \d+(\.\d)? (ms|s|min)"));
            await Expect(pending).Not.ToContainTextAsync("doneMillis");
            await BrowserFixture.ScreenshotAsync(page, "run-progress-words");
            await page.Context.CloseAsync();
        }
        finally
        {
            using var cancel = await fixture.Server.Http.PostAsJsonAsync(new Uri($"/api/workflows/{id}/cancel", UriKind.Relative), new { reason = "web test done" });
        }
    }

    [Fact]
    public async Task Starting_a_run_under_an_id_used_before_says_so_and_names_the_earlier_run()
    {
        var id = $"web-again-{Guid.NewGuid():N}";
        await StartAsync(id, new { steps = 1, stepMillis = 0 });
        var page = await fixture.SignedInPageAsync("/runs");
        await Expect(page.Locator($"tr[data-workflow-id='{id}'] .badge")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await page.GetByLabel("Workflow type").SelectOptionAsync("diag.steps");
        await page.GetByLabel("Workflow id (optional)").FillAsync(id);
        await page.GetByLabel("Input (JSON, optional)").FillAsync("{\"steps\": 1, \"stepMillis\": 0}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();

        var note = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "the id was used before" });
        await Expect(note).ToContainTextAsync($"Started another run of {id}: the id was used before, by a diag.steps run that ended Completed at");
        await Expect(page.Locator($"tr[data-workflow-id='{id}']")).ToHaveCountAsync(2);
        await note.GetByRole(AriaRole.Link, new() { Name = "Open the new run" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/runs/{id}$"));
    }

    [Fact]
    public async Task Unknown_paths_load_the_app_but_unknown_api_paths_stay_404()
    {
        using var api = await fixture.Server.Http.GetAsync(new Uri("/api/no-such-thing", UriKind.Relative));
        api.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        var html = await fixture.Server.Http.GetStringAsync(new Uri("/runs/nightly.db-1", UriKind.Relative));
        html.Should().Contain("<div id=\"root\">", "a deep link with a dot in the id still loads the app");
        using var wrongMethod = await fixture.Server.Http.DeleteAsync(new Uri("/api/workflows", UriKind.Relative));
        wrongMethod.StatusCode.Should().Be(System.Net.HttpStatusCode.MethodNotAllowed);
    }

    private async Task StartAsync(string id, object input)
    {
        using var response = await fixture.Server.Http.PostAsJsonAsync(new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", id, input });
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
    }
}
