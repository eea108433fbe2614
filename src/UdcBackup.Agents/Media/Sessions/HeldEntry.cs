using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Agents.Media.Sessions;

/// <summary>A stored file of a live session (content chunks known) and the stream that stored it.</summary>
internal readonly record struct HeldEntry(ArchiveEntry Entry, string Stream);
