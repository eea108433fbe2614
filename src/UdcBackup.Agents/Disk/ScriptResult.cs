namespace UdcBackup.Agents.Disk;

/// <summary>What a script did: exit code (-1 when killed), captured output (bounded) and timing.</summary>
public sealed record ScriptResult(
    string Name,
    int ExitCode,
    string StandardOutput,
    string StandardError,
    bool OutputTruncated,
    bool TimedOut,
    TimeSpan Duration)
{
    /// <summary>True when the script finished in time with exit code 0.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
