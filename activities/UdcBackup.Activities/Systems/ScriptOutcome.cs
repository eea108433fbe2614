using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Systems;

/// <summary>What a script did on its system (output bounded by the agent).</summary>
public sealed record ScriptOutcome(
    [property: ActivityOutput(ActivityInputKind.Int, "Exit code (-1 when killed)")] int ExitCode,
    [property: ActivityOutput(ActivityInputKind.String, "Standard output (bounded)")] string StandardOutput,
    [property: ActivityOutput(ActivityInputKind.String, "Standard error (bounded)")] string StandardError,
    [property: ActivityOutput(ActivityInputKind.Bool, "The agent killed it at its timeout")] bool TimedOut,
    [property: ActivityOutput(ActivityInputKind.Int, "Run time in milliseconds")] long DurationMillis)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
