namespace UdcBackup.Server.Web;

/// <summary>
/// Where the built operations web app (the output of <c>npm run build</c> in <c>web/</c>) is read
/// from. In order: the <c>UDC_WEBROOT</c> environment variable (an installation points it at its
/// copy of the build); <c>wwwroot</c> beside the controller's binaries (a published install); then
/// <c>web/dist</c> of the source tree the binaries were built in (found by walking up to
/// <c>UdcBackup.sln</c>), which is what <c>./run.sh</c> uses. A folder only counts when it holds an
/// <c>index.html</c>; when none does, the controller serves the API alone and says why in its log.
/// </summary>
public sealed record WebAppLocation(string? Root, string Searched)
{
    /// <summary>The environment variable that names the web app's folder explicitly.</summary>
    public const string EnvironmentVariable = "UDC_WEBROOT";

    /// <summary>Whether a built app was found.</summary>
    public bool Found => Root is not null;

    /// <summary>Finds the web app from the process's environment and binary location.</summary>
    public static WebAppLocation Resolve() =>
        Resolve(Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory);

    /// <summary>Finds the web app from an explicit setting (may be null) and the binaries' directory.</summary>
    public static WebAppLocation Resolve(string? configured, string baseDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // An explicit setting is never second-guessed: a wrong path is reported, not replaced.
            var full = Path.GetFullPath(configured);
            return new WebAppLocation(HasIndex(full) ? full : null, $"{EnvironmentVariable}={full}");
        }

        var candidates = new List<string> { Path.Combine(baseDirectory, "wwwroot") };
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UdcBackup.sln")))
            {
                candidates.Add(Path.Combine(dir.FullName, "web", "dist"));
                break;
            }
        }

        return new WebAppLocation(candidates.FirstOrDefault(HasIndex), string.Join(", ", candidates));
    }

    private static bool HasIndex(string directory) => File.Exists(Path.Combine(directory, "index.html"));
}
