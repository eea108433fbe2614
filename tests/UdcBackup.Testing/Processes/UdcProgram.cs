namespace UdcBackup.Testing.Processes;

/// <summary>
/// The built <c>udc</c> CLI next to the test assembly (the test project references the CLI project,
/// so the build copies it there). Tests run it as <c>dotnet udc.dll ...</c>.
/// </summary>
public static class UdcProgram
{
    /// <summary>Full path of udc.dll; fails with the fix when the CLI was not built with the tests.</summary>
    public static string DllPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "udc.dll");
            return File.Exists(path) && File.Exists(Path.Combine(AppContext.BaseDirectory, "udc.runtimeconfig.json"))
                ? path
                : throw new InvalidOperationException($"udc.dll is not beside the tests in {AppContext.BaseDirectory}: reference src/UdcBackup.Cli from the test project and build it");
        }
    }

    /// <summary>The argument list that runs udc with <paramref name="arguments"/>.</summary>
    public static IReadOnlyList<string> Command(params string[] arguments) => ["dotnet", DllPath, .. arguments];
}
