namespace UdcBackup.Archive.Native;

/// <summary>What <c>statx</c> says about one path, without following a final symlink.</summary>
public readonly record struct FileStatus(
    uint Mode,
    uint Uid,
    uint Gid,
    long Size,
    long Blocks,
    ulong Inode,
    ulong Device,
    uint LinkCount,
    long ModifiedNs,
    long ChangedNs,
    uint RdevMajor,
    uint RdevMinor)
{
    public const uint TypeMask = 0xF000;
    public const uint RegularBits = 0x8000;
    public const uint DirectoryBits = 0x4000;
    public const uint SymlinkBits = 0xA000;
    public const uint FifoBits = 0x1000;
    public const uint CharDeviceBits = 0x2000;
    public const uint BlockDeviceBits = 0x6000;
    public const uint SocketBits = 0xC000;

    public bool IsRegular => (Mode & TypeMask) == RegularBits;

    public bool IsDirectory => (Mode & TypeMask) == DirectoryBits;

    public bool IsSymlink => (Mode & TypeMask) == SymlinkBits;

    /// <summary>True when fewer blocks are allocated than the size needs, i.e. the file may have holes.</summary>
    public bool MayBeSparse => IsRegular && Blocks * 512 < Size;

    /// <summary>
    /// True when a stat taken after reading the file shows it unwritten since this one: same
    /// modification and change times and size (a write moves mtime, a write through another name
    /// or a truncation still moves ctime).
    /// </summary>
    public bool UnchangedSince(FileStatus before) => ModifiedNs == before.ModifiedNs && ChangedNs == before.ChangedNs && Size == before.Size;
}
