using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The admin's signal form offers the signals the run's workflow type takes, as the controller
/// lists them (<c>GET /api/workflow-types?signals=true</c>): none gives no form, one is chosen
/// already. The name field started as "approve" for every run, so an Enter sent a signal the run
/// did not take. (A flow run's two signals, none chosen: <see cref="ApprovalTests"/>; a typed
/// name for a controller that does not list them: <see cref="EnterSubmitsFormsTests"/>.)
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignalFormTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_run_whose_type_takes_no_signals_gets_no_form_but_says_so()
    {
        var id = await StartWaitingRunAsync("web-no-signals");
        try
        {
            var page = await fixture.SignedInPageAsync($"/runs/{id}");
            var open = page.GetByRole(AriaRole.Button, new() { Name = "Signal…" });
            await open.ClickAsync();

            var panel = page.GetByRole(AriaRole.Region, new() { Name = "Signal" });
            await Expect(panel).ToContainTextAsync("This run takes no signals: its workflow type diag.steps declares none.");
            await Expect(page.GetByLabel("Signal name")).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send signal" })).ToHaveCountAsync(0);
            await panel.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
            await Expect(panel).ToHaveCountAsync(0);
            await page.Context.CloseAsync();
        }
        finally
        {
            await CancelAsync(id);
        }
    }

    [Fact]
    public async Task The_only_signal_a_type_takes_is_chosen_already_and_sent()
    {
        var id = await StartWaitingRunAsync("web-one-signal");
        try
        {
            var page = await fixture.SignedInPageAsync($"/runs/{id}");
            // A type with one signal, as the controller would list it; the controller itself still answers the send.
            await page.RouteAsync(new Regex(@"/api/workflow-types\?signals=true$"), route => route.FulfillAsync(new()
            {
                ContentType = "application/json",
                Body = """[{"name": "diag.steps", "signals": ["note"]}, {"name": "flow", "signals": ["approve", "reject"]}]""",
            }));
            await page.GetByRole(AriaRole.Button, new() { Name = "Signal…" }).ClickAsync();

            var name = page.GetByLabel("Signal name");
            await Expect(name).ToBeFocusedAsync();
            await Expect(name).ToHaveValueAsync("note");
            await Expect(name.Locator("option")).ToHaveTextAsync(new[] { "note" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Send signal" }).ClickAsync();

            // diag.steps takes no signals in truth: the controller's refusal shows the form sent the chosen one.
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Workflow type 'diag.steps' has no signal 'note'.");
            await page.Context.CloseAsync();
        }
        finally
        {
            await CancelAsync(id);
        }
    }

    private async Task<string> StartWaitingRunAsync(string prefix)
    {
        var id = $"{prefix}-{Guid.NewGuid():N}";
        using var started = await fixture.Server.Http.PostAsJsonAsync(
            new Uri("/api/workflows", UriKind.Relative), new { type = "diag.steps", id, input = new { steps = 2, stepMillis = 600_000 } });
        started.IsSuccessStatusCode.Should().BeTrue(await started.Content.ReadAsStringAsync());
        return id;
    }

    private async Task CancelAsync(string id)
    {
        using var cancelled = await fixture.Server.Http.PostAsJsonAsync(new Uri($"/api/workflows/{id}/cancel", UriKind.Relative), new { reason = "test done" });
    }
}
