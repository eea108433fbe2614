namespace UdcBackup.Scripts.Tests.Fixtures;

/// <summary>Runs a shipped script the way a disk agent does: a separate process, configured through its environment.</summary>
public static class ShippedScripts
{
    /// <summary>Exit codes documented in deploy/scripts/README.md.</summary>
    public const int BackupModeLost = 4;
    public const int NotInBackupMode = 5;

    public static Task<CommandResult> RunAsync(string name, IReadOnlyDictionary<string, string> env, TimeSpan? timeout = null) =>
        Command.RunAsync(RepositoryPaths.Script(name), [], env, timeout ?? TimeSpan.FromSeconds(120));

    public static IReadOnlyDictionary<string, string> With(this IReadOnlyDictionary<string, string> env, params (string Key, string Value)[] more)
    {
        var result = new Dictionary<string, string>(env);
        foreach (var (key, value) in more)
        {
            result[key] = value;
        }

        return result;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{what} did not happen within {timeout}");
            }

            await Task.Delay(20);
        }
    }
}
