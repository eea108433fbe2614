namespace UdcBackup.Testing;

/// <summary>
/// Checks for the real dependencies integration tests drive. A missing one fails the test with
/// the command that installs it; tests never skip (CI installs them via deploy/install-deps.sh).
/// </summary>
public static class Requirements
{
    /// <summary>Fails unless the process runs as root (network namespaces and nftables need it).</summary>
    public static void Root(string why)
    {
        if (Environment.UserName != "root" && !IsEffectiveRoot())
        {
            throw new InvalidOperationException($"This test needs root ({why}); CI runs as root. Run the tests as root or with sudo.");
        }
    }

    /// <summary>Fails unless <paramref name="program"/> is on PATH (or an absolute path that exists).</summary>
    public static string Program(string program, string debianPackage)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        var found = Path.IsPathRooted(program)
            ? (File.Exists(program) ? program : null)
            : (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
                .Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Concat(["/usr/sbin", "/sbin"])
                .Select(dir => Path.Combine(dir, program))
                .FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException(
            $"This test needs '{program}' from the Debian package '{debianPackage}': run deploy/install-deps.sh test (apt-get install -y {debianPackage})");
    }

    private static bool IsEffectiveRoot()
    {
        // /proc/self/status holds "Uid: real effective saved fs".
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        var parts = line?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: > 2 } && parts[2] == "0";
    }
}
