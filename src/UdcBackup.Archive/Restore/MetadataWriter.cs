using UdcBackup.Archive.Native;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Restore;

/// <summary>
/// Applies an entry's metadata to a restored path in the only order that keeps every field:
/// xattrs, owner (chown clears setuid bits), permission bits, and times last (every other change
/// touches ctime/mtime of folders). Symlinks get owner and times only (Linux has no symlink modes).
/// </summary>
internal static class MetadataWriter
{
    public static void Apply(string path, ArchiveEntry entry, bool restoreOwner, List<string> warnings)
    {
        var isLink = entry.Type == EntryType.Symlink;
        foreach (var (name, value) in entry.Xattrs)
        {
            try
            {
                LinuxFileSystem.WriteXattr(path, name, value);
            }
            catch (IOException ex)
            {
                lock (warnings)
                {
                    warnings.Add($"xattr {name} not restored on '{path}': {ex.Message}");
                }
            }
        }

        if (restoreOwner)
        {
            LinuxFileSystem.SetOwner(path, entry.Uid, entry.Gid);
        }

        if (!isLink)
        {
            LinuxFileSystem.SetMode(path, entry.Mode);
        }

        LinuxFileSystem.SetTimes(path, entry.ModifiedNs);
    }
}
