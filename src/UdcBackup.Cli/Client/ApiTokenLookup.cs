namespace UdcBackup.Cli.Client;

/// <summary>
/// Finds the API token a client command signs in with, first match wins: the <c>--token</c>
/// option, the <c>UDC_TOKEN</c> environment variable, then the bootstrap token the controller
/// wrote to <c>DATA/admin.token</c>, where DATA is <c>UDC_DATA</c> or <c>.data</c> (the folder
/// <c>./run.sh</c> starts the controller on), so a controller run from a checkout is usable from
/// the same checkout without any setup. No token found is not an error here: the request goes out
/// anonymous and the controller's 401 tells the operator how to sign in.
/// </summary>
public static class ApiTokenLookup
{
    /// <summary>The environment variable holding an API token.</summary>
    public const string TokenVariable = "UDC_TOKEN";

    /// <summary>The environment variable naming the controller's data directory.</summary>
    public const string DataVariable = "UDC_DATA";

    /// <summary>The data directory used when <c>UDC_DATA</c> is not set (same default as <c>./run.sh</c>).</summary>
    public const string DefaultDataDirectory = ".data";

    /// <summary>The bootstrap token file inside the data directory.</summary>
    public const string TokenFileName = "admin.token";

    /// <summary>The token to send, or null when none is configured anywhere.</summary>
    public static string? Resolve(string? option, Func<string, string?>? environment = null) => Find(option, environment).Token;

    /// <summary>
    /// The token to send and where it came from (<c>--token</c>, <c>UDC_TOKEN</c> or the file's
    /// path), so a refused token can be traced to the place to fix; both null when none is found.
    /// </summary>
    public static (string? Token, string? Source) Find(string? option, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(option))
        {
            return (option.Trim(), "--token");
        }

        if (environment(TokenVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return (fromEnvironment.Trim(), TokenVariable);
        }

        var file = TokenFile(environment);
        try
        {
            return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } fromFile ? (fromFile, Path.GetFullPath(file)) : (null, null);
        }
        catch (UnauthorizedAccessException)
        {
            // The file is mode 0600 of the controller's user; another user signs in with --token.
            return (null, null);
        }
    }

    /// <summary>The bootstrap token file this process would read: <c>UDC_DATA/admin.token</c>, else <c>.data/admin.token</c>.</summary>
    public static string TokenFile(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var data = environment(DataVariable) is { Length: > 0 } configured ? configured : DefaultDataDirectory;
        return Path.Combine(data, TokenFileName);
    }
}
