namespace UdcBackup.Server.Flows;

/// <summary>One published, immutable version of a flow.</summary>
public sealed record StoredFlowVersion(string FlowId, int Version, string Definition, DateTimeOffset PublishedAt, string PublishedBy, string? Note);
