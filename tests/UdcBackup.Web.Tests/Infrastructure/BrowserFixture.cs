using System.Net.Http.Json;
using Microsoft.Playwright;
using UdcBackup.Testing;
using UdcBackup.Testing.Agents;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests.Infrastructure;

/// <summary>
/// One server and one headless Debian Chromium for the web tests (each test opens its own page,
/// in its own browser context, so sessions do not leak between tests). The server is the shared
/// <see cref="ServerProcess"/> serving the built app (<c>UDC_WEBROOT</c>), with the test site
/// demo site brought up around it (<see cref="DemoSite"/>: the demo's start-up with its agents,
/// enrolled through the controller's agent listener, and its site applied) and one snapshot in its catalog. Playwright's own browser download cannot work here, so
/// the fixture launches <c>/usr/bin/chromium</c> and fails with the install command when it is
/// missing; the flags keep Chromium from reaching out to the network at start. Screenshots go to
/// <see cref="ArtifactsDirectory"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private ServerProcess? _server;
    private DemoSite? _site;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("fixture not started");

    /// <summary>The applied demo site with its real disk and media agents.</summary>
    public DemoSite Site => _site ?? throw new InvalidOperationException("fixture not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("fixture not started");

    /// <summary>Where the tests leave screenshots (kept with the test results).</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The web tests need Debian's Chromium at {ChromiumPath}: run deploy/install-deps.sh test (apt-get install -y chromium).");
        }

        Directory.CreateDirectory(ArtifactsDirectory);

        // The machines these run on are shared and loaded; 5 s (the default) fails slow renders, not wrong ones.
        SetDefaultExpectTimeout(15_000);
        _server = await ServerProcess.StartAsync(environment: new Dictionary<string, string>(AgentEnrollment.ControllerEnvironment) { ["UDC_WEBROOT"] = RepoPaths.RequireBuiltWebApp() });
        _site = await DemoSite.StartAsync(_server);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>
    /// A fresh page (own cookies and storage) at the shared server's address, or at
    /// <paramref name="baseAddress"/> for a test's own server; not signed in.
    /// </summary>
    public async Task<IPage> NewPageAsync(Uri? baseAddress = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (baseAddress ?? Server.BaseAddress).ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page signed in through the sign-in form (as <c>admin</c> unless another user is given), at <paramref name="path"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string path, string user = "admin", string? password = null)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(path);
        await SignInAsync(page, user, password ?? Server.AdminPassword);
        return page;
    }

    /// <summary>Fills the sign-in form and waits until the app shows the signed-in user.</summary>
    public static async Task SignInAsync(IPage page, string user, string password)
    {
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Sign in" });
        await form.GetByLabel("User").FillAsync(user);
        await form.GetByLabel("Password").FillAsync(password);
        await form.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("signed-in")).ToContainTextAsync(user);
    }

    /// <summary>Creates a user with a role through the admin API (POST /api/users) and returns its password.</summary>
    public async Task<string> CreateUserAsync(string user, string role)
    {
        var password = $"pw-{Guid.NewGuid():N}";
        using var created = await Server.Http.PostAsJsonAsync(new Uri("/api/users", UriKind.Relative), new { user, password, role });
        created.IsSuccessStatusCode.Should().BeTrue($"POST /api/users creates {user}: {await created.Content.ReadAsStringAsync()}");
        return password;
    }

    /// <summary>Saves a full-window screenshot as a test artifact and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ArtifactsDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        return path;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
