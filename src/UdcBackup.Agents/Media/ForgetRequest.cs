namespace UdcBackup.Agents.Media;

/// <summary>Body of <c>POST /v1/snapshots/forget</c>: full snapshot ids to remove from the catalog.</summary>
public sealed record ForgetRequest(IReadOnlyList<string> SnapshotIds);
