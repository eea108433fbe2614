namespace UdcBackup.Server.Site;

/// <summary>One snapshot of the catalog as <c>GET /api/snapshots</c> lists it.</summary>
public sealed record SnapshotInfo(
    string SnapshotId,
    string SystemId,
    string JobId,
    string Level,
    DateTimeOffset Time,
    string MediaAgentId,
    string Repository,
    long Bytes,
    long Files);
