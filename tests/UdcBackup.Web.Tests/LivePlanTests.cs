using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The live graph of a running backup job shows the whole plan from the start: a later system's
/// steps are drawn, waiting, before the job reaches them, each system's steps in a row of their
/// own (left to right, the systems top to bottom) in a box no taller than the largest. The job
/// backs up the demo's systems with a written input in which the first system's disk agent is a
/// listener that never answers, so its stream stays running while the page is looked at; the test
/// then cancels the run, and the steps it never reached read skipped, none waiting.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LivePlanTests(BrowserFixture fixture)
{
    // open-windows; web-files: choose-level, stream, record-snapshot; app-files: choose-level,
    // record-snapshot; pg-demo: choose-level, pre-backup, stream, post-backup,
    // stream-after-post-backup, record-snapshot; close-windows.
    private const int Planned = 13;

    // Every step of the graph lies whole inside its box (the view is fitted to it).
    private const string Fitted =
        """
        count => {
          const g = document.querySelector('[data-testid=live-graph]').getBoundingClientRect();
          const nodes = [...document.querySelectorAll('[data-testid=live-graph] .lnode')].map(n => n.getBoundingClientRect());
          return nodes.length === count && nodes.every(n => n.top >= g.top && n.bottom <= g.bottom && n.left >= g.left && n.right <= g.right);
        }
        """;

    // In one frame: top and bottom of the first node, top and right of the second, top and left of the third, the box's height.
    private const string Rects =
        """
        ids => {
          const [a, b, c] = ids.map(id => document.querySelector(`[data-testid="live-node-${id}"]`).getBoundingClientRect());
          return [a.top, a.bottom, b.top, b.right, c.top, c.left, document.querySelector('[data-testid=live-graph]').getBoundingClientRect().height];
        }
        """;

    private static readonly LocatorAssertionsToHaveAttributeOptions Long = new() { Timeout = 60_000 };

    [Fact]
    public async Task A_running_backup_shows_a_later_systems_steps_waiting_before_they_are_reached()
    {
        using var silentAgent = new TcpListener(IPAddress.Loopback, 0);
        silentAgent.Start();
        var id = $"web-plan-{Guid.NewGuid():N}";
        using (var started = await fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/workflows", UriKind.Relative), new { type = "backup.job", id, input = Input($"127.0.0.1:{((IPEndPoint)silentAgent.LocalEndpoint).Port}") }))
        {
            started.IsSuccessStatusCode.Should().BeTrue(await started.Content.ReadAsStringAsync());
        }

        try
        {
            var page = await fixture.SignedInPageAsync($"/runs/{id}");
            var graph = page.GetByTestId("live-graph");
            await Expect(Step(graph, DemoSite.FilesSystem, "stream")).ToHaveAttributeAsync("data-state", new Regex("^(running|retrying)$"), Long);

            // pg-demo is the job's last system: its steps are drawn before the job gets there.
            var later = Step(graph, DemoSite.DatabaseSystem, "pre-backup");
            await Expect(later).ToHaveAttributeAsync("data-state", "waiting");
            await Expect(later).ToContainTextAsync(DemoSite.DatabaseSystem);
            await Expect(Step(graph, DemoSite.DatabaseSystem, "stream-after-post-backup")).ToHaveAttributeAsync("data-state", "waiting");
            await Expect(graph.GetByTestId("live-node-close-windows")).ToHaveAttributeAsync("data-state", "waiting");
            await Expect(graph.Locator(".lnode")).ToHaveCountAsync(Planned);

            // Fitted into a box within its bounds: every step shows whole. Then one row per
            // system, its steps left to right, the rows top to bottom.
            await page.WaitForFunctionAsync(Fitted, Planned);
            var at = await page.EvaluateAsync<double[]>(Rects, new[] { $"{DemoSite.FilesSystem}/choose-level", $"{DemoSite.DatabaseSystem}/choose-level", $"{DemoSite.DatabaseSystem}/pre-backup" });
            var (_, firstBottom, lastTop, lastRight, afterTop, afterLeft, height) = (at[0], at[1], at[2], at[3], at[4], at[5], at[6]);
            lastTop.Should().BeGreaterThan(firstBottom, "a later system's row lies below the first one's");
            afterLeft.Should().BeGreaterThan(lastRight, "a system's steps run left to right");
            afterTop.Should().BeApproximately(lastTop, 1, "a system's steps share a row");
            height.Should().BeInRange(160, 420);
            await BrowserFixture.ScreenshotAsync(page, "live-plan-running");

            using (var cancel = await fixture.Server.Http.PostAsJsonAsync(new Uri($"/api/workflows/{id}/cancel", UriKind.Relative), new { reason = "web test done" }))
            {
                cancel.IsSuccessStatusCode.Should().BeTrue(await cancel.Content.ReadAsStringAsync());
            }

            await Expect(page.Locator(".page-header .badge[data-status='Canceled']")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Expect(later).ToHaveAttributeAsync("data-state", "skipped");
            await Expect(graph.Locator(".lnode[data-state='waiting']")).ToHaveCountAsync(0);
            await page.Context.CloseAsync();
        }
        finally
        {
            silentAgent.Stop();
        }
    }

    private static ILocator Step(ILocator graph, string system, string step) =>
        graph.GetByTestId($"live-node-{system}/{step}");

    private static object Script(string name) => new { name, arguments = Array.Empty<string>(), environment = new Dictionary<string, string>() };

    private static object DataSet(string name, string path) => new { name, paths = new[] { path }, excludes = Array.Empty<string>() };

    // No windows to open; only the first system is ever called (its agent never answers), the
    // others' agents are addresses nothing listens on, so the run writes nothing anywhere.
    private static object Input(string silentAgent) => new
    {
        runId = string.Empty,
        jobId = "web-plan",
        siteVersion = 0,
        mediaAgentId = DemoSite.MediaAgent,
        mediaEndpoint = "127.0.0.1:1",
        repository = DemoSite.Repository,
        firewalls = Array.Empty<object>(),
        windows = Array.Empty<object>(),
        systems = new object[]
        {
            new { systemId = DemoSite.FilesSystem, agentEndpoint = silentAgent, dataSets = new[] { DataSet("htdocs", "/srv/htdocs") }, afterPostBackup = Array.Empty<object>() },
            new { systemId = DemoSite.AppSystem, agentEndpoint = "127.0.0.1:1", dataSets = Array.Empty<object>(), afterPostBackup = Array.Empty<object>() },
            new
            {
                systemId = DemoSite.DatabaseSystem,
                agentEndpoint = "127.0.0.1:1",
                preBackup = Script("postgresql-pre-backup"),
                postBackup = Script("postgresql-post-backup"),
                dataSets = new[] { DataSet("pgdata", "/srv/pg/data") },
                afterPostBackup = new[] { DataSet("backup-label", "/srv/pg/label") },
            },
        },
        levels = new { fullOn = Array.Empty<string>(), fullEvery = 1, timeZone = "UTC" },
        continueOnSystemFailure = true,
    };
}
