using UdcBackup.Archive.Native;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Restore;

/// <summary>
/// Recreates FIFOs and device nodes for both restore paths (local and streamed). FIFOs need no
/// privilege; device nodes need <c>mknod</c> permission (CAP_MKNOD, normally root), and without it
/// the entry is skipped with a warning that names it and its major:minor. Sockets are recorded in
/// snapshots like restic does but never recreated: a socket file is made by the program that binds
/// it, and one without a listener is useless; the restore says so in a warning.
/// </summary>
internal static class SpecialNodes
{
    private const int NotPermitted = 1;

    /// <summary>Creates the node of <paramref name="entry"/> at <paramref name="path"/>; false (with a warning) when it is not recreated.</summary>
    public static bool TryCreate(string path, ArchiveEntry entry, List<string> warnings)
    {
        switch (entry.Type)
        {
            case EntryType.Fifo:
                LinuxFileSystem.MakeFifo(path, entry.Mode);
                return true;
            case EntryType.CharDevice or EntryType.BlockDevice:
                var block = entry.Type == EntryType.BlockDevice;
                try
                {
                    LinuxFileSystem.MakeDevice(path, block, entry.Mode, entry.RdevMajor, entry.RdevMinor);
                    return true;
                }
                catch (IOException ex) when (ex.HResult == NotPermitted)
                {
                    Warn(warnings, $"'{entry.Path}' ({(block ? "block" : "character")} device {entry.RdevMajor}:{entry.RdevMinor}) not restored: creating device nodes needs root (CAP_MKNOD): {ex.Message}");
                    return false;
                }

            case EntryType.Socket:
                Warn(warnings, $"'{entry.Path}' is a socket: recorded in the snapshot, not recreated (the program that listens on it creates it)");
                return false;
            default:
                throw new ArgumentException($"'{entry.Path}' ({entry.Type}) is not a special file.", nameof(entry));
        }
    }

    private static void Warn(List<string> warnings, string warning)
    {
        lock (warnings)
        {
            warnings.Add(warning);
        }
    }
}
