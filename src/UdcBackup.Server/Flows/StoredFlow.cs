namespace UdcBackup.Server.Flows;

/// <summary>A flow's row: its draft (JSON text) with revision, and the newest published version (0 when never published).</summary>
public sealed record StoredFlow(string Id, string Name, string Draft, int DraftRevision, int PublishedVersion, DateTimeOffset UpdatedAt, string UpdatedBy);
