namespace UdcBackup.Firewall;

/// <summary>
/// Result of comparing two rule set snapshots. When not identical, the lines only in the later
/// snapshot and only in the earlier one are listed (a reorder shows as identical line sets with
/// <see cref="Identical"/> false).
/// </summary>
public sealed record SnapshotComparison(bool Identical, IReadOnlyList<string> AddedLines, IReadOnlyList<string> RemovedLines)
{
    /// <summary>A one-paragraph description for logs and errors.</summary>
    public string Describe() => Identical
        ? "rule set identical"
        : $"rule set differs: {AddedLines.Count} line(s) added [{string.Join(" | ", AddedLines)}], {RemovedLines.Count} removed [{string.Join(" | ", RemovedLines)}]";
}
