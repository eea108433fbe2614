namespace UdcBackup.Archive.Snapshots;

/// <summary>The kind of a snapshot entry; values are part of the on-disk tree format.</summary>
public enum EntryType : byte
{
    File = 1,
    Directory = 2,
    Symlink = 3,

    /// <summary>A further name of a file already stored: <see cref="ArchiveEntry.LinkTarget"/> is the first path.</summary>
    Hardlink = 4,
    Fifo = 5,
    CharDevice = 6,
    BlockDevice = 7,
    Socket = 8,
}
