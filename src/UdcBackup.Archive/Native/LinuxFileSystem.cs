using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace UdcBackup.Archive.Native;

/// <summary>
/// The POSIX calls .NET does not expose and a faithful backup needs: <c>statx</c> (inode, ctime,
/// ns times, owner), <c>lseek</c> with SEEK_DATA/SEEK_HOLE for sparse files, the l*xattr family,
/// <c>utimensat</c>, <c>lchown</c>, <c>link</c>, <c>mkfifo</c>, <c>mknod</c>, <c>posix_fadvise</c> and <c>fsync</c> of a directory.
/// Linux/glibc only (the product's platform). Failures raise <see cref="IOException"/> with errno text.
/// </summary>
public static class LinuxFileSystem
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int SeekData = 3;
    private const int SeekHole = 4;
    private const int ENoData = 61;
    private const int ENxio = 6;
    private const int ENotSup = 95;
    private const int ERange = 34;

    /// <summary>Reads the status of <paramref name="path"/> without following a final symlink.</summary>
    public static unsafe FileStatus Stat(string path)
    {
        var buffer = stackalloc byte[256];
        if (NativeMethods.statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            throw Error("statx", path);
        }

        return Decode(buffer);
    }

    /// <summary>
    /// Lists a directory (not following a symlink to it) and stats each entry relative to it, without following
    /// symlinks: one name lookup per entry instead of a walk of its whole path, and no path string
    /// built or marshalled for the call. Entries come in directory order; an entry whose stat
    /// fails (it vanished, or cannot be read) comes with a null status and the error.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be opened or read.</exception>
    public static unsafe List<DirectoryChild> ListWithStatus(string path)
    {
        // open + getdents64 rather than opendir: glibc's opendir fstat()s every folder it opens.
        const int Directory = 0x10000, NoFollow = 0x20000, CloseOnExec = 0x80000;
        var fd = NativeMethods.open(path, Directory | NoFollow | CloseOnExec, 0);
        if (fd < 0)
        {
            throw Error("open", path);
        }

        try
        {
            var entries = new List<DirectoryChild>();
            var status = stackalloc byte[256];
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(32 * 1024);
            try
            {
                fixed (byte* records = buffer)
                {
                    while (true)
                    {
                        var filled = NativeMethods.getdents64(fd, records, buffer.Length);
                        if (filled < 0)
                        {
                            throw Error("getdents64", path);
                        }

                        if (filled == 0)
                        {
                            return entries;
                        }

                        // struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), then d_name.
                        for (var offset = 0; offset < filled; offset += *(ushort*)(records + offset + 16))
                        {
                            var name = records + offset + 19;
                            var length = new ReadOnlySpan<byte>(name, *(ushort*)(records + offset + 16) - 19).IndexOf((byte)0);
                            if ((length == 1 && name[0] == '.') || (length == 2 && name[0] == '.' && name[1] == '.'))
                            {
                                continue;
                            }

                            var text = Encoding.UTF8.GetString(name, length);
                            entries.Add(NativeMethods.statxAt(fd, name, AtSymlinkNoFollow, StatxBasicStats, status) == 0
                                ? new DirectoryChild(text, Decode(status), null)
                                : new DirectoryChild(text, null, Error("statx", Path.Join(path, text))));
                        }
                    }
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private static unsafe FileStatus Decode(byte* buffer)
    {
        return new FileStatus(
            Mode: *(ushort*)(buffer + 28),
            Uid: *(uint*)(buffer + 20),
            Gid: *(uint*)(buffer + 24),
            Size: *(long*)(buffer + 40),
            Blocks: *(long*)(buffer + 48),
            Inode: *(ulong*)(buffer + 32),
            Device: ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140),
            LinkCount: *(uint*)(buffer + 16),
            ModifiedNs: Timestamp(buffer + 112),
            ChangedNs: Timestamp(buffer + 96),
            RdevMajor: *(uint*)(buffer + 128),
            RdevMinor: *(uint*)(buffer + 132));
    }

    /// <summary>The data regions (offset, length) of an open file, found with SEEK_DATA/SEEK_HOLE.</summary>
    public static List<(long Offset, long Length)> DataExtents(SafeFileHandle handle, long size)
    {
        var extents = new List<(long, long)>();
        var fd = (int)handle.DangerousGetHandle();
        long position = 0;
        while (position < size)
        {
            var data = NativeMethods.lseek(fd, position, SeekData);
            if (data < 0)
            {
                if (Marshal.GetLastPInvokeError() == ENxio)
                {
                    break; // only a hole remains
                }

                throw Error("lseek", $"fd {fd}");
            }

            var hole = NativeMethods.lseek(fd, data, SeekHole);
            if (hole < 0)
            {
                throw Error("lseek", $"fd {fd}");
            }

            hole = Math.Min(hole, size);
            if (hole > data)
            {
                extents.Add((data, hole - data));
            }

            position = hole;
        }

        return extents;
    }

    /// <summary>All extended attributes of a path (not following symlinks), sorted by name.</summary>
    public static SortedDictionary<string, byte[]> ReadXattrs(string path)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var size = NativeMethods.llistxattr(path, null, 0);
        if (size < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ENotSup ? result : throw Error("llistxattr", path);
        }

        if (size == 0)
        {
            return result;
        }

        var names = new byte[size];
        size = NativeMethods.llistxattr(path, names, names.Length);
        if (size < 0)
        {
            throw Error("llistxattr", path);
        }

        foreach (var name in Encoding.UTF8.GetString(names, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var value = ReadXattr(path, name);
            if (value is not null)
            {
                result[name] = value;
            }
        }

        return result;
    }

    /// <summary>Sets one extended attribute on a path (not following symlinks).</summary>
    public static void WriteXattr(string path, string name, byte[] value)
    {
        if (NativeMethods.lsetxattr(path, name, value, value.Length, 0) != 0)
        {
            throw Error($"lsetxattr {name}", path);
        }
    }

    /// <summary>Sets access and modification times in nanoseconds without following symlinks.</summary>
    public static unsafe void SetTimes(string path, long modifiedNs)
    {
        var times = stackalloc long[4];
        times[0] = modifiedNs / 1_000_000_000; // atime = mtime: atime is not recorded
        times[1] = modifiedNs % 1_000_000_000;
        times[2] = times[0];
        times[3] = times[1];
        if (times[1] < 0)
        {
            times[0]--;
            times[1] += 1_000_000_000;
            times[2] = times[0];
            times[3] = times[1];
        }

        if (NativeMethods.utimensat(AtFdCwd, path, times, AtSymlinkNoFollow) != 0)
        {
            throw Error("utimensat", path);
        }
    }

    /// <summary>Sets the owner without following symlinks.</summary>
    public static void SetOwner(string path, uint uid, uint gid)
    {
        if (NativeMethods.lchown(path, uid, gid) != 0)
        {
            throw Error("lchown", path);
        }
    }

    /// <summary>Sets permission bits (including setuid/setgid/sticky).</summary>
    public static void SetMode(string path, uint mode)
    {
        if (NativeMethods.chmod(path, mode & 0xFFF) != 0)
        {
            throw Error("chmod", path);
        }
    }

    /// <summary>Creates a hard link <paramref name="newPath"/> to <paramref name="existingPath"/>.</summary>
    public static void Link(string existingPath, string newPath)
    {
        if (NativeMethods.link(existingPath, newPath) != 0)
        {
            throw Error("link", newPath);
        }
    }

    /// <summary>rename(2): atomic, works on dangling symlinks and fifos (File.Move checks the target first).</summary>
    public static void Rename(string from, string to)
    {
        if (NativeMethods.rename(from, to) != 0)
        {
            throw Error("rename", to);
        }
    }

    /// <summary>Creates a named pipe.</summary>
    /// <summary>
    /// Creates a character or block device node (<c>mknod</c>; needs CAP_MKNOD, normally root).
    /// An <see cref="IOException"/> with HResult EPERM (1) means the caller may not create devices.
    /// </summary>
    public static void MakeDevice(string path, bool block, uint mode, uint major, uint minor)
    {
        const uint CharDeviceType = 0x2000;
        const uint BlockDeviceType = 0x6000;

        // glibc's makedev(): the low 8 bits of the minor, 12 bits of the major, then the rest of each.
        var device = ((ulong)(major & 0xFFFFF000) << 32) | ((ulong)(major & 0xFFF) << 8) | ((ulong)(minor & 0xFFFFFF00) << 12) | (minor & 0xFF);
        if (NativeMethods.mknod(path, (mode & 0xFFF) | (block ? BlockDeviceType : CharDeviceType), device) != 0)
        {
            throw Error("mknod", path);
        }
    }

    public static void MakeFifo(string path, uint mode)
    {
        if (NativeMethods.mkfifo(path, mode & 0xFFF) != 0)
        {
            throw Error("mkfifo", path);
        }
    }

    /// <summary>Flushes a directory so that a rename or create inside it survives a power loss.</summary>
    public static void SyncDirectory(string path)
    {
        var fd = NativeMethods.open(path, 0x10000 /* O_DIRECTORY */, 0);
        if (fd < 0)
        {
            throw Error("open", path);
        }

        try
        {
            _ = NativeMethods.fsync(fd);
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    /// <summary>
    /// Creates or truncates a regular file for writing with a single <c>open(2)</c> (O_NOFOLLOW: a
    /// symlink planted at <paramref name="path"/> fails instead of being written through).
    /// <see cref="File.OpenHandle"/> adds an advisory lock, an fstat and an ftruncate per file, a
    /// third of the system calls of restoring a small file; the files this opens are private temps.
    /// </summary>
    public static SafeFileHandle CreateForWriting(string path, uint mode)
    {
        const int WriteOnly = 0x1, Create = 0x40, Truncate = 0x200, NoFollow = 0x20000, CloseOnExec = 0x80000;
        var fd = NativeMethods.open(path, WriteOnly | Create | Truncate | NoFollow | CloseOnExec, (int)(mode & 0xFFF));
        return fd < 0 ? throw Error("open", path) : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Opens a file for reading with a single <c>open(2)</c>, not following a symlink that replaced
    /// the file since it was stat'ed; <see cref="File.OpenHandle"/> adds an fstat and an advisory
    /// lock per file, which a backup of many small files pays 23,000 times.
    /// </summary>
    public static SafeFileHandle OpenForReading(string path)
    {
        const int NoFollow = 0x20000, CloseOnExec = 0x80000;
        var fd = NativeMethods.open(path, NoFollow | CloseOnExec, 0);
        return fd < 0 ? throw Error("open", path) : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Asks the kernel to start reading a file range into the page cache (<c>posix_fadvise</c>
    /// WILLNEED) without waiting for it; only a hint, so a failure is ignored.
    /// </summary>
    public static void AdviseWillNeed(SafeFileHandle handle, long offset, long length)
    {
        const int WillNeed = 3;
        _ = NativeMethods.posix_fadvise((int)handle.DangerousGetHandle(), offset, length, WillNeed);
    }

    /// <summary>
    /// Blocks the calling thread has had read from disk so far (<c>getrusage(RUSAGE_THREAD)</c>,
    /// <c>ru_inblock</c>, in 512-byte units): it grows when the thread waited for data or metadata the
    /// page cache did not hold, and stays put on a warm cache. 0 when the call fails.
    /// </summary>
    public static unsafe long ThreadBlocksRead()
    {
        const int RusageThread = 1;
        const int InBlock = 11; // struct rusage: two timevals (4 longs), then maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock
        var usage = stackalloc long[18];
        return NativeMethods.getrusage(RusageThread, usage) == 0 ? usage[InBlock] : 0;
    }

    /// <summary>
    /// Tells the kernel a written and fsynced file's pages will not be read again soon
    /// (<c>posix_fadvise</c> DONTNEED): clean pages are dropped from the page cache at once and their
    /// memory is free for the next write, instead of the cache growing by every byte written. Only a
    /// hint, so a failure is ignored.
    /// </summary>
    public static void AdviseDontNeed(SafeFileHandle handle)
    {
        const int DontNeed = 4;
        _ = NativeMethods.posix_fadvise((int)handle.DangerousGetHandle(), 0, 0, DontNeed);
    }

    private static byte[]? ReadXattr(string path, string name)
    {
        while (true)
        {
            var size = NativeMethods.lgetxattr(path, name, null, 0);
            if (size < 0)
            {
                return Marshal.GetLastPInvokeError() == ENoData ? null : throw Error($"lgetxattr {name}", path);
            }

            var value = new byte[size];
            var read = NativeMethods.lgetxattr(path, name, value, value.Length);
            if (read >= 0)
            {
                return read == size ? value : value[..(int)read];
            }

            if (Marshal.GetLastPInvokeError() != ERange)
            {
                throw Error($"lgetxattr {name}", path);
            }
        }
    }

    private static unsafe long Timestamp(byte* field) => (*(long*)field * 1_000_000_000L) + *(uint*)(field + 8);

    private static IOException Error(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed for '{path}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
    }

    private static unsafe class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        public static extern int statxAt(int dirfd, byte* name, int flags, uint mask, byte* buffer);

        [DllImport("libc", SetLastError = true)]
        public static extern nint getdents64(int fd, byte* buffer, nint length);

        [DllImport("libc", SetLastError = true)]
        public static extern long lseek(int fd, long offset, int whence);

        [DllImport("libc", SetLastError = true)]
        public static extern nint llistxattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[]? list, nint size);

        [DllImport("libc", SetLastError = true)]
        public static extern nint lgetxattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[]? value, nint size);

        [DllImport("libc", SetLastError = true)]
        public static extern int lsetxattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[] value, nint size, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int utimensat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, long* times, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

        [DllImport("libc", SetLastError = true)]
        public static extern int chmod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

        [DllImport("libc", SetLastError = true)]
        public static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

        [DllImport("libc", SetLastError = true)]
        public static extern int rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);

        [DllImport("libc", SetLastError = true)]
        public static extern int mknod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode, ulong device);

        [DllImport("libc", SetLastError = true)]
        public static extern int mkfifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc")]
        public static extern int posix_fadvise(int fd, long offset, long length, int advice);

        [DllImport("libc")]
        public static extern unsafe int getrusage(int who, long* usage);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
