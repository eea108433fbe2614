namespace UdcBackup.Server.Site;

/// <summary>Answer of an apply: the version now current, whether anything changed, what changed, and the schedules set.</summary>
public sealed record SiteApplyResult(int Version, string ContentHash, bool Unchanged, IReadOnlyList<string> Changes, IReadOnlyList<string> Schedules);
