using System.Diagnostics;

namespace UdcBackup.Testing;

/// <summary>
/// Finds the built <c>udc.dll</c> that child-process tests run with <c>dotnet udc.dll ...</c>.
/// The test project references the CLI project, so the build of the tests has already built it
/// in the same configuration; only when that output is missing (a partial build) is the CLI built
/// once, under a lock, for the whole test run.
/// </summary>
public static class UdcBinary
{
    private static readonly Lazy<string> Path = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The full path of <c>udc.dll</c>.</summary>
    public static string DllPath => Path.Value;

    /// <summary>A start description for <c>dotnet udc.dll args...</c>, with output redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A child must never pick up the operator's own controller settings.
        info.Environment.Remove("UDC_SERVER");
        info.Environment.Remove("UDC_URLS");
        info.Environment.Remove("UDC_TOKEN");
        info.Environment.Remove("UDC_DATA");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private static string Locate()
    {
        var besideTests = System.IO.Path.Combine(AppContext.BaseDirectory, "udc.dll");
        if (File.Exists(besideTests) && File.Exists(System.IO.Path.Combine(AppContext.BaseDirectory, "udc.runtimeconfig.json")))
        {
            return besideTests;
        }

        var root = RepoRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var built = System.IO.Path.Combine(root, "src", "UdcBackup.Cli", "bin", configuration, "net10.0", "udc.dll");
        if (!File.Exists(built))
        {
            using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", System.IO.Path.Combine(root, "src", "UdcBackup.Cli"), "-c", configuration, "-nologo", "-clp:ErrorsOnly"]))!;
            build.WaitForExit();
            if (build.ExitCode != 0 || !File.Exists(built))
            {
                throw new InvalidOperationException($"building the udc CLI failed (exit {build.ExitCode}); run `dotnet build src/UdcBackup.Cli -c {configuration}` to see why");
            }
        }

        return built;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "UdcBackup.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"UdcBackup.sln not found above {AppContext.BaseDirectory}");
    }
}
