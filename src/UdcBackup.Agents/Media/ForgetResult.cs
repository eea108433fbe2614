namespace UdcBackup.Agents.Media;

/// <summary>Which of the requested snapshots were forgotten and which were already absent (not an error).</summary>
public sealed record ForgetResult(IReadOnlyList<string> Forgotten, IReadOnlyList<string> Absent);
