using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// Fingerprint of a file the media agent can take without its content: path as in the entry
/// stream (relative, '/'-separated), size, modification and change times in nanoseconds, inode.
/// A file whose fresh metadata equals all five is sent without content.
/// </summary>
public sealed record HeldFile(string Path, long Size, long MtimeNs, long CtimeNs, ulong Inode)
{
    public static HeldFile Of(ArchiveEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new HeldFile(entry.Path, entry.Size, entry.ModifiedNs, entry.ChangedNs, entry.Inode);
    }

    /// <summary>True when <paramref name="entry"/> is a regular file with exactly this fingerprint.</summary>
    public bool Matches(ArchiveEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Type == EntryType.File && entry.Path == Path && entry.Size == Size
            && entry.ModifiedNs == MtimeNs && entry.ChangedNs == CtimeNs && entry.Inode == Inode;
    }
}
