using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The whole path of the issue against the demo site's agents (<see cref="DemoSite"/>): draw the
/// issue's example flow from the palette (quiesce the application, stream its data, resume it in
/// a try/finally), see the server's validation error on a missing input at its node, fix it with
/// the system and script pickers, copy the suspend step and paste it as the cleanup, publish, look
/// at the plan, run it, watch its nodes turn done in the live graph, and find the run in the runs
/// list. The scripts are the shipped application-suspend scripts the demo installs for
/// <c>app-files</c>; the test checks that they suspended and resumed the demo's real sample
/// process (their output in the run's history names its pid, and it runs again afterwards) and
/// that the stream sealed a snapshot on the media agent.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FlowRunTests(BrowserFixture fixture)
{
    private const string RunScript = "system.run-script";
    private const string StreamBackup = "data.stream-backup";

    /// <summary>A variable the scripts ignore, typed in the node to follow it into the run.</summary>
    private const string NodeVariable = "UDC_WEB_TEST_FLOW";

    [Fact]
    public async Task The_issue_example_flow_drawn_in_the_browser_suspends_streams_and_resumes_the_demo_app_and_its_nodes_turn_done()
    {
        var flowId = $"web-flow-{Guid.NewGuid():N}"[..22];
        var page = await new DesignerTests(fixture).NewFlowAsync(flowId);

        // The script step dragged onto the canvas: its system and script are missing, so the
        // server's validation marks the node and the field, and publishing is blocked.
        await page.GetByTestId($"palette-{RunScript}").DragToAsync(page.GetByTestId("canvas"), new() { TargetPosition = new() { X = 120, Y = 60 } });
        var activities = page.Locator(".react-flow__node", new() { Has = page.Locator(".fnode-activity") });
        await Expect(activities).ToHaveCountAsync(1);
        var suspendId = await activities.GetAttributeAsync("data-id") ?? throw new InvalidOperationException("node without id");
        await Expect(activities.Locator(".fnode")).ToHaveClassAsync(new Regex(@"\binvalid\b"));
        var systemField = Field(page, "systemId");
        await Expect(systemField.Locator(".field-error")).ToBeVisibleAsync();
        var problems = page.GetByRole(AriaRole.List, new() { Name = "Problems" });
        await Expect(problems.Locator($"li[data-node='{suspendId}']", new() { HasText = "systemId" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Publish" })).ToBeDisabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer-invalid");

        // Fixed with the pickers: the system from the site, then the script the site allows on it.
        await systemField.Locator("input").FillAsync(DemoSite.AppSystem);
        await Expect(systemField.Locator(".field-error")).ToHaveCountAsync(0);
        var scriptPicker = Field(page, "script").Locator("select");
        await Expect(scriptPicker.Locator("option", new() { HasText = DemoSite.SuspendScript })).ToHaveCountAsync(1);
        await scriptPicker.SelectOptionAsync(DemoSite.SuspendScript);
        await page.GetByLabel("label", new() { Exact = true }).FillAsync("Suspend the app");

        // The picker shows the site's environment for the script (this run's paths); the node's own
        // environment is checked with the disk agent's rule as it is typed, then the site's values
        // are copied in beside a value of the node's own.
        var siteEnv = Field(page, "script").GetByTestId("site-env");
        await Expect(siteEnv.Locator("tr[data-env='UDC_SUSPEND_PIDFILES']")).ToContainTextAsync(fixture.Site.AppPidFile);
        await Expect(siteEnv.Locator("tr[data-env='UDC_STATE_DIR']")).ToBeVisibleAsync();
        var environment = Field(page, "environment");
        await environment.GetByRole(AriaRole.Button, new() { Name = "Add variable" }).ClickAsync();
        await environment.GetByLabel("variable 1 name").FillAsync("LD_PRELOAD");
        await environment.GetByLabel("variable 1 value").FillAsync("/tmp/x.so");
        // Still refused, naming the variable, once the server's validation (the same disk agents'
        // rule with the controller's prefixes) has answered.
        await Expect(page.GetByTestId("problem-count")).ToHaveAttributeAsync("data-checked-by", "server");
        await Expect(environment.Locator(".field-error")).ToContainTextAsync("'LD_PRELOAD' is not allowed: it is set by the agent or changes what runs");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Publish" })).ToBeDisabledAsync();
        await environment.GetByLabel("variable 1 name").FillAsync("UDC_bad-name");
        await Expect(environment.Locator(".field-error")).ToContainTextAsync("names use A-Z, 0-9 and _");
        await environment.GetByLabel("variable 1 name").FillAsync("UDCFOO");
        await Expect(environment.Locator(".field-error")).ToContainTextAsync("only names starting with UDC_, PG may be set");
        await environment.GetByLabel("variable 1 name").FillAsync(NodeVariable);
        await environment.GetByLabel("variable 1 value").FillAsync(flowId);
        await environment.GetByRole(AriaRole.Button, new() { Name = "Copy the site's values" }).ClickAsync();
        await Expect(environment.Locator(".field-error")).ToHaveCountAsync(0);
        var expectedEnvironment = new Dictionary<string, string>
        {
            [NodeVariable] = flowId,
            ["UDC_SUSPEND_PIDFILES"] = fixture.Site.AppPidFile,
            ["UDC_STATE_DIR"] = Path.Combine(fixture.Site.Root, "app-files", "suspend-state"),
        };
        (await EnvironmentRowsAsync(page)).Should().BeEquivalentTo(expectedEnvironment);

        // The try/finally under start, its body the suspend step.
        await Canvas.SelectAsync(page, "start");
        await page.GetByTestId("palette-try").ClickAsync();
        await Expect(Canvas.Node(page, "try-1")).ToBeVisibleAsync();
        await Canvas.ConnectAsync(page, "try-1", suspendId, "body");
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(2);

        // The backup stream chained under the suspend step (a palette click adds below the selected node).
        await Canvas.SelectAsync(page, suspendId);
        await page.GetByTestId($"palette-{StreamBackup}").ClickAsync();
        await Expect(activities).ToHaveCountAsync(2);
        var streamId = await page.Locator(".react-flow__node.selected").GetAttributeAsync("data-id") ?? throw new InvalidOperationException("node without id");
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(3);
        await Field(page, "systemId").Locator("input").FillAsync(DemoSite.AppSystem);
        await Field(page, "mediaAgentId").Locator("input").FillAsync(DemoSite.MediaAgent);
        await Field(page, "repository").Locator("input").FillAsync(DemoSite.Repository);
        await Field(page, "level").Locator("input").FillAsync("full");
        await Field(page, "sessionId").Locator("input").FillAsync($"{flowId}-session");
        await Field(page, "dataSets").Locator("textarea").FillAsync("[\"spool\"]");
        await page.GetByLabel("label", new() { Exact = true }).FillAsync("Stream the spool");

        // The cleanup is the suspend step copied and pasted, then pointed at the resume script.
        await Canvas.SelectAsync(page, suspendId);
        await page.Keyboard.PressAsync("Control+c");
        await page.Keyboard.PressAsync("Control+v");
        await Expect(activities).ToHaveCountAsync(3);
        var resumeId = await page.Locator(".react-flow__node.selected").GetAttributeAsync("data-id") ?? throw new InvalidOperationException("node without id");
        resumeId.Should().NotBe(suspendId);
        await Field(page, "script").Locator("select").SelectOptionAsync(DemoSite.ResumeScript);
        await page.GetByLabel("label", new() { Exact = true }).FillAsync("Resume the app");
        await page.GetByRole(AriaRole.Button, new() { Name = "Auto-layout" }).ClickAsync();
        await Canvas.ConnectAsync(page, "try-1", resumeId, "finally");
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(4);
        await Expect(page.GetByTestId("problem-count")).ToHaveTextAsync("valid", new() { Timeout = 5_000 });

        // Laid out before publishing, so the live graph of the version shows the same layout.
        await page.GetByRole(AriaRole.Button, new() { Name = "Auto-layout" }).ClickAsync();
        await Expect(Canvas.Node(page, resumeId)).ToBeInViewportAsync();
        await DesignerTests.PublishAsync(page, 1);
        await BrowserFixture.ScreenshotAsync(page, "designer");

        // The node's environment is the controller's: another browser opening the flow sees it.
        var other = await fixture.SignedInPageAsync($"/designer/{flowId}");
        await Canvas.SelectAsync(other, suspendId);
        (await EnvironmentRowsAsync(other)).Should().BeEquivalentTo(expectedEnvironment, "the node's environment survives saving and reloading");
        await Expect(Field(other, "script").GetByTestId("site-env")).ToContainTextAsync(fixture.Site.AppPidFile);
        await other.Context.CloseAsync();

        // The plan lists the try and its three steps in order, with their scripts, then the run starts from it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan & run…" }).ClickAsync();
        var plan = page.GetByRole(AriaRole.Table, new() { Name = "Plan" }).Locator("tbody tr");
        await Expect(plan).ToHaveCountAsync(4);
        await Expect(plan.Nth(0)).ToHaveAttributeAsync("data-node", "try-1");
        await Expect(plan.Nth(1)).ToHaveAttributeAsync("data-node", suspendId);
        await Expect(plan.Nth(1)).ToContainTextAsync(DemoSite.SuspendScript);
        await Expect(plan.Nth(2)).ToHaveAttributeAsync("data-node", streamId);
        await Expect(plan.Nth(3)).ToHaveAttributeAsync("data-node", resumeId);
        await Expect(plan.Nth(3)).ToContainTextAsync(DemoSite.ResumeScript);
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/runs/.+"));
        var workflowId = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath["/runs/".Length..]);

        // The live graph is the flow's own graph; its nodes turn done as the agents do the work.
        var graph = page.GetByTestId("live-graph");
        await Expect(graph.GetByTestId($"live-node-{resumeId}")).ToContainTextAsync("Resume the app");
        await Expect(graph.GetByTestId($"live-node-{resumeId}")).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 90_000 });
        foreach (var node in new[] { suspendId, streamId, "try-1" })
        {
            await Expect(graph.GetByTestId($"live-node-{node}")).ToHaveAttributeAsync("data-state", "done");
        }

        await Expect(page.Locator(".page-header .badge[data-status='Completed']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await BrowserFixture.ScreenshotAsync(page, "live-view");

        // The scripts worked on the demo's sample process: suspended, then resumed (it runs again),
        // and the stream between them sealed a snapshot.
        var pid = int.Parse((await File.ReadAllTextAsync(fixture.Site.AppPidFile)).Trim(), CultureInfo.InvariantCulture);
        var history = await fixture.Server.Http.GetStringAsync(new Uri($"/api/workflows/{Uri.EscapeDataString(workflowId)}", UriKind.Relative));
        history.Should().Contain($"suspended processes: {pid}").And.Contain($"resumed processes: {pid}");
        history.Should().MatchRegex($"\"{NodeVariable}\"\\s*:\\s*\"{flowId}\"", "the value typed in the node is part of the step's input");
        var snapshot = new Regex("\"snapshotId\":\\s*\"(?<id>[^\"]+)\"", RegexOptions.IgnoreCase).Match(history);
        snapshot.Success.Should().BeTrue($"the sealing stream returns its snapshot: {history}");
        ProcessStateOf(pid).Should().NotBe("T", "the cleanup resumed the application");

        // And the runs list, filtered to flow runs, has it.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        await page.GetByLabel("Filter by type").SelectOptionAsync("flow");
        await Expect(page.Locator($"tr[data-workflow-id='{workflowId}'] .badge")).ToHaveTextAsync("Completed");
    }

    internal static ILocator Field(IPage page, string input) => page.Locator($".props .field[data-field='{input}']");

    /// <summary>The selected node's environment rows, name to value, as the editor shows them.</summary>
    private static async Task<Dictionary<string, string>> EnvironmentRowsAsync(IPage page)
    {
        var rows = Field(page, "environment").Locator("tr[data-row]");
        var result = new Dictionary<string, string>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            var inputs = rows.Nth(i).Locator("input");
            result[await inputs.Nth(0).InputValueAsync()] = await inputs.Nth(1).InputValueAsync();
        }

        return result;
    }

    // The one-letter state in /proc/PID/stat (R, S, T for stopped ...), after the command's closing parenthesis.
    private static string ProcessStateOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
    }
}
