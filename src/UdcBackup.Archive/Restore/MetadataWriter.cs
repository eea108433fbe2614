using Microsoft.Win32.SafeHandles;
using UdcBackup.Archive.Native;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Restore;

/// <summary>
/// Applies an entry's metadata to a restored path in the only order that keeps every field:
/// xattrs, owner (chown clears setuid bits), permission bits, and times last (every other change
/// touches ctime/mtime of folders). Symlinks get owner and times only (Linux has no symlink modes).
/// A regular file still open from its restore gets owner, mode and times through its descriptor,
/// and the owner and mode calls are left out when the new file already has them (a restore as
/// root of root's files would otherwise change every inode twice for nothing).
/// </summary>
internal static class MetadataWriter
{
    public static void Apply(string path, ArchiveEntry entry, bool restoreOwner, List<string> warnings)
    {
        var isLink = entry.Type == EntryType.Symlink;
        WriteXattrs(path, entry, warnings);
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

    /// <summary>The same for a regular file open for writing at <paramref name="path"/>; call it after the last write.</summary>
    public static void Apply(SafeFileHandle handle, string path, ArchiveEntry entry, bool restoreOwner, List<string> warnings)
    {
        WriteXattrs(path, entry, warnings);
        var mode = entry.Mode & 0xFFF;
        var setMode = true;
        if (restoreOwner)
        {
            // The group of a new file is the folder's when the folder is setgid, so it is read, not assumed.
            var current = OpenFileCalls.Status(handle, path);
            var setOwner = current.Uid != entry.Uid || current.Gid != entry.Gid;
            if (setOwner)
            {
                OpenFileCalls.SetOwner(handle, entry.Uid, entry.Gid, path);
            }

            setMode = setOwner || current.Mode != mode; // chown may have cleared setuid/setgid bits
        }

        if (setMode)
        {
            OpenFileCalls.SetMode(handle, mode, path);
        }

        OpenFileCalls.SetTimes(handle, entry.ModifiedNs, path);
    }

    private static void WriteXattrs(string path, ArchiveEntry entry, List<string> warnings)
    {
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
    }
}
