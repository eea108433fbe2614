using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace UdcBackup.Archive.Restore;

/// <summary>
/// The system calls a restore makes on a file it holds open, and <c>mkdir</c> that says whether it
/// made the folder. Working on the descriptor instead of the path saves the kernel a path walk per
/// call (a restored file's temp sits about ten folders deep) and saves .NET marshalling the path;
/// <c>pwrite</c> without <see cref="RandomAccess"/> saves the <c>lseek</c> it makes on every new
/// handle to learn whether it can seek. Linux/glibc only; failures raise <see cref="IOException"/>
/// with the errno text and the path the caller names.
/// </summary>
internal static class OpenFileCalls
{
    private const int EIntr = 4;
    private const int EExist = 17;
    private const int ENoEnt = 2;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxModeOwner = 0x2 | 0x8 | 0x10; // STATX_MODE | STATX_UID | STATX_GID

    /// <summary>Permission bits (with setuid/setgid/sticky), owner and group of an open file.</summary>
    public static unsafe (uint Mode, uint Uid, uint Gid) Status(SafeFileHandle handle, string path)
    {
        var buffer = stackalloc byte[256]; // struct statx
        if (NativeMethods.statx(Fd(handle), (byte*)&buffer[255], AtEmptyPath, StatxModeOwner, buffer) != 0)
        {
            throw Error("statx", path);
        }

        // stx_uid at 20, stx_gid at 24, stx_mode (16 bits) at 28; buffer[255] is a NUL: the empty path.
        return (*(ushort*)(buffer + 28) & 0xFFFu, *(uint*)(buffer + 20), *(uint*)(buffer + 24));
    }

    public static void SetOwner(SafeFileHandle handle, uint uid, uint gid, string path)
    {
        if (NativeMethods.fchown(Fd(handle), uid, gid) != 0)
        {
            throw Error("fchown", path);
        }
    }

    public static void SetMode(SafeFileHandle handle, uint mode, string path)
    {
        if (NativeMethods.fchmod(Fd(handle), mode & 0xFFF) != 0)
        {
            throw Error("fchmod", path);
        }
    }

    /// <summary>Sets access and modification time (atime = mtime: atime is not recorded), in nanoseconds.</summary>
    public static unsafe void SetTimes(SafeFileHandle handle, long modifiedNs, string path)
    {
        var seconds = Math.DivRem(modifiedNs, 1_000_000_000, out var nanoseconds);
        if (nanoseconds < 0)
        {
            seconds--;
            nanoseconds += 1_000_000_000;
        }

        var times = stackalloc long[4] { seconds, nanoseconds, seconds, nanoseconds };
        if (NativeMethods.futimens(Fd(handle), times) != 0)
        {
            throw Error("futimens", path);
        }
    }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>.</summary>
    public static unsafe void Write(SafeFileHandle handle, ReadOnlySpan<byte> data, long offset, string path)
    {
        fixed (byte* start = data)
        {
            var written = 0;
            while (written < data.Length)
            {
                var n = NativeMethods.pwrite(Fd(handle), start + written, data.Length - written, offset + written);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == EIntr)
                    {
                        continue;
                    }

                    throw Error("pwrite", path);
                }

                written += (int)n;
            }
        }
    }

    /// <summary>
    /// Creates a folder (mode 0777 less the umask, as <see cref="Directory.CreateDirectory(string)"/>);
    /// true when this call made it, false when a folder was already there. A missing parent is
    /// created as <see cref="Directory.CreateDirectory(string)"/> does, and then counts as not made here.
    /// </summary>
    public static bool CreateFolder(string path)
    {
        if (NativeMethods.mkdir(path, 0x1FF) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno is EExist or ENoEnt)
        {
            Directory.CreateDirectory(path); // throws if a file is in the way
            return false;
        }

        throw Error("mkdir", path, errno);
    }

    private static int Fd(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    private static IOException Error(string call, string path) => Error(call, path, Marshal.GetLastPInvokeError());

    private static IOException Error(string call, string path, int errno) =>
        new($"{call} failed for '{path}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);

    private static unsafe class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

        [DllImport("libc", SetLastError = true)]
        public static extern int fchown(int fd, uint owner, uint group);

        [DllImport("libc", SetLastError = true)]
        public static extern int fchmod(int fd, uint mode);

        [DllImport("libc", SetLastError = true)]
        public static extern int futimens(int fd, long* times);

        [DllImport("libc", SetLastError = true)]
        public static extern nint pwrite(int fd, byte* buffer, nint count, long offset);

        [DllImport("libc", SetLastError = true)]
        public static extern int mkdir([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
    }
}
