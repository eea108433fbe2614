namespace UdcBackup.Agents.Media;

/// <summary>
/// A file the restore target already has (a resumed restore): its path in entry-stream form
/// (relative to the target, '/'-separated), its size and the SHA-256 of its content (lowercase
/// hex). The media agent sends a snapshot file with exactly this size and content as a header
/// without content, and the disk agent keeps its copy.
/// </summary>
public sealed record RestoreHeldFile(string Path, long Size, string Sha256);
