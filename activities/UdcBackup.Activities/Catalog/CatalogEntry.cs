namespace UdcBackup.Activities.Catalog;

/// <summary>One snapshot as the controller's catalog knows it: whose it is, which job and level made it, where it lives.</summary>
public sealed record CatalogEntry(
    string SnapshotId,
    string SystemId,
    string JobId,
    string Level,
    string MediaAgentId,
    string Repository,
    DateTimeOffset TakenAt,
    long Bytes,
    long Files,
    bool Forgotten = false);
