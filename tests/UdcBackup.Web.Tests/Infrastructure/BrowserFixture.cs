using Microsoft.Playwright;

namespace UdcBackup.Web.Tests.Infrastructure;

/// <summary>
/// One server and one headless Debian Chromium for the web tests (each test opens its own page).
/// Playwright's own browser download cannot work here, so the fixture launches
/// <c>/usr/bin/chromium</c> and fails with the install command when it is missing; the flags keep
/// Chromium from reaching out to the network at start. Screenshots go to <see cref="ArtifactsDirectory"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private WebServerProcess? _server;

    public WebServerProcess Server => _server ?? throw new InvalidOperationException("fixture not started");

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
        _server = await WebServerProcess.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh page (own storage, so designer drafts do not leak between tests) at the server's address.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
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
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
