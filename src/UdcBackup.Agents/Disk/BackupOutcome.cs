using UdcBackup.Agents.Media;

namespace UdcBackup.Agents.Disk;

/// <summary>A finished backup: the snapshot the media agent committed and the files that could not be read.</summary>
public sealed record BackupOutcome(SnapshotInfo Snapshot, IReadOnlyList<string> Warnings);
