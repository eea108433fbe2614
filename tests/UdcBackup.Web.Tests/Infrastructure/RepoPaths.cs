namespace UdcBackup.Web.Tests.Infrastructure;

/// <summary>Paths of the source tree the tests run from (found by walking up to UdcBackup.sln).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    /// <summary>The built web app; test.sh builds it before the .NET tests.</summary>
    public static string WebDist => Path.Combine(Root, "web", "dist");

    /// <summary>Where the current screenshots for the README live (refreshed by copying the test artifacts).</summary>
    public static string DocsImages => Path.Combine(Root, "docs", "images");

    /// <summary>Fails with the build command when the web app was not built.</summary>
    public static string RequireBuiltWebApp()
    {
        if (!File.Exists(Path.Combine(WebDist, "index.html")))
        {
            throw new InvalidOperationException(
                $"The web app is not built ({WebDist}/index.html is missing): run `cd web && npm ci && npm run build` (./test.sh does this before the .NET tests).");
        }

        return WebDist;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UdcBackup.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"UdcBackup.sln not found above {AppContext.BaseDirectory}");
    }
}
