namespace UdcBackup.Agents.Media;

/// <summary>What the controller sees of a snapshot when it lists a media agent's archive.</summary>
public sealed record SnapshotInfo(string Id, string System, DateTimeOffset Time, IReadOnlyDictionary<string, string> Tags);
