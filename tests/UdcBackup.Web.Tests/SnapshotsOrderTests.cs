using System.Text.Json;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The snapshots page when the controller's answers cross: the page asks for the first system's
/// snapshots on load and for the chosen system's when the operator picks one, and the first answer
/// may come last. The test holds that first answer in the browser until the chosen system's list
/// has rendered, so the crossing happens on every run instead of only on a loaded machine.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SnapshotsOrderTests(BrowserFixture fixture)
{
    private const string HeldSnapshotId = "snap-held-answer";

    /// <summary>
    /// Records, in the page, the address of every answer whose body the app has read. The app's own
    /// continuation runs right after the read resolves, so once an address is listed here the
    /// app has had the answer in hand; no timing guess is needed to know it arrived.
    /// </summary>
    private const string RecordReadAnswers = """
        (() => {
          window.__answersRead = [];
          for (const name of ['text', 'json']) {
            const read = Response.prototype[name];
            Response.prototype[name] = async function () {
              const body = await read.call(this);
              window.__answersRead.push(this.url);
              return body;
            };
          }
        })();
        """;

    /// <summary>Resolves after two frames, so an update the app scheduled before it has been rendered.</summary>
    private const string TwoFrames = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))";

    [Fact]
    public async Task The_first_systems_answer_arriving_after_the_chosen_systems_does_not_replace_its_snapshots()
    {
        var page = await fixture.NewPageAsync();
        await page.AddInitScriptAsync(RecordReadAnswers);

        // Hold the page's first snapshots request (the first system's, asked for on load); let the rest through.
        var held = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(
            url => new Uri(url).AbsolutePath == "/api/snapshots",
            async route =>
            {
                if (!held.TrySetResult(route))
                {
                    await route.ContinueAsync();
                }
            });

        await page.GotoAsync("/snapshots");
        await BrowserFixture.SignInAsync(page, "admin", fixture.Server.AdminPassword);
        var first = await held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var firstSystem = System.Web.HttpUtility.ParseQueryString(new Uri(first.Request.Url).Query)["system"];
        firstSystem.Should().NotBe(DemoSite.FilesSystem, "the page must first ask for another system than the one the test picks, or nothing crosses");

        var system = page.GetByLabel("System", new() { Exact = true });
        await system.SelectOptionAsync(DemoSite.FilesSystem);
        var chosenRow = page.Locator($"tr[data-snapshot-id='{DemoSite.SnapshotId}']");
        await Expect(chosenRow).ToContainTextAsync("full");

        // Now the first system's answer arrives, last, with a snapshot of its own.
        await first.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "application/json",
            Body = JsonSerializer.Serialize(new[]
            {
                new
                {
                    snapshotId = HeldSnapshotId,
                    systemId = firstSystem,
                    jobId = DemoSite.Job,
                    level = "full",
                    time = DateTimeOffset.UtcNow.ToString("O"),
                    mediaAgentId = DemoSite.MediaAgent,
                    repository = DemoSite.Repository,
                },
            }),
        });
        await page.WaitForFunctionAsync("url => window.__answersRead.includes(url)", first.Request.Url);
        await page.WaitForFunctionAsync(TwoFrames);

        await Expect(system).ToHaveValueAsync(DemoSite.FilesSystem);
        await Expect(chosenRow).ToContainTextAsync("full");
        await Expect(page.Locator($"tr[data-snapshot-id='{HeldSnapshotId}']")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Snapshots" })).Not.ToContainTextAsync("No snapshots of");
    }
}
