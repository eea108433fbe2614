namespace UdcBackup.Agents.Disk;

/// <summary>Wire form of "run this script" sent by the controller to a disk agent.</summary>
public sealed record ScriptRunRequest
{
    public required string Name { get; init; }

    public string[] Arguments { get; init; } = [];

    public Dictionary<string, string> Environment { get; init; } = [];

    public int? TimeoutSeconds { get; init; }

    /// <summary>The job on whose behalf the script runs (for the audit log).</summary>
    public string? JobId { get; init; }
}
