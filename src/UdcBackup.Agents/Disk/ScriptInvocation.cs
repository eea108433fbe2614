namespace UdcBackup.Agents.Disk;

/// <summary>A request to run one named script with arguments and environment variables (never a command line).</summary>
public sealed record ScriptInvocation
{
    /// <summary>File name of the script inside the allowed folder.</summary>
    public required string Name { get; init; }

    /// <summary>Arguments, each passed to the script as one argv entry.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Extra environment variables (names: A-Z 0-9 _, not starting with a digit).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Overrides the runner's default timeout when set (never beyond its maximum).</summary>
    public TimeSpan? Timeout { get; init; }
}
