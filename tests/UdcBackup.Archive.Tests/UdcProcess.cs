using System.Diagnostics;

namespace UdcBackup.Archive.Tests;

/// <summary>Runs the real <c>udc</c> command (built next to this test project) as a child process.</summary>
public static class UdcProcess
{
    public static string CliDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Join(root.FullName, "UdcBackup.sln")))
            {
                root = root.Parent;
            }

            root.Should().NotBeNull("the tests run inside the solution tree");
            var dll = Path.Join(root!.FullName, "src", "UdcBackup.Cli", "bin", configuration, "net10.0", "udc.dll");
            File.Exists(dll).Should().BeTrue($"the CLI is built by this project's reference ({dll})");
            return dll;
        }
    }

    public static Process Start(string password, params string[] args) => Start(password, niced: false, args);

    /// <summary>
    /// Starts <c>udc</c> at the lowest CPU priority (<c>nice -n 19</c>, which execs it: same pid), so
    /// on a loaded machine the test that watches it gets the CPU first; on an idle one it runs as fast.
    /// </summary>
    public static Process StartNiced(string password, params string[] args) => Start(password, niced: true, args);

    private static Process Start(string password, bool niced, string[] args)
    {
        var info = new ProcessStartInfo(niced ? "nice" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (niced)
        {
            info.ArgumentList.Add("-n");
            info.ArgumentList.Add("19");
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["UDC_ARCHIVE_PASSWORD"] = password;
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string password, params string[] args)
    {
        using var process = Start(password, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
