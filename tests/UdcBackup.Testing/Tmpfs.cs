using System.Diagnostics;
using System.Globalization;

namespace UdcBackup.Testing;

/// <summary>
/// A small tmpfs mounted on a test folder (the tests run as root), to fill up: out of bytes, or out
/// of inodes, which makes the next file creation fail with ENOSPC at an exactly known point (the
/// archive's disk-full tests, a media agent's full repository). Unmounted on dispose, so also when
/// the test failed.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    public Tmpfs(string path, string options)
    {
        Directory.CreateDirectory(path);
        Path = path;
        Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
    }

    public string Path { get; }

    /// <summary>Changes the size or inode limit of the mounted file system (its content stays).</summary>
    public void Remount(string options) => Run("mount", "-o", "remount," + options, Path);

    /// <summary>Leaves exactly <paramref name="free"/> inodes free: the next file or folder after them fails.</summary>
    public void LeaveInodes(int free)
    {
        var counts = Run("stat", "-f", "-c", "%c %d", Path).Split(' ').Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        Remount($"nr_inodes={counts[0] - counts[1] + free}");
    }

    /// <summary>Writes a file at <paramref name="path"/> until the file system has at most <paramref name="free"/> bytes left.</summary>
    public void FillUpTo(string path, long free)
    {
        var counts = Run("stat", "-f", "-c", "%a %S", Path).Split(' ').Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var fill = counts[0] * counts[1] - free;
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[1 << 16];
        try
        {
            for (long written = 0; written < fill; written += block.Length)
            {
                stream.Write(block, 0, (int)Math.Min(block.Length, fill - written));
            }
        }
        catch (IOException) when (free == 0)
        {
            // full, as asked
        }
    }

    public void Dispose()
    {
        // A process still using the folder (a test that failed midway) makes umount refuse; the
        // lazy unmount detaches it at once and frees it when the last user is gone.
        if (!TryRun("umount", Path))
        {
            TryRun("umount", "-l", Path);
        }
    }

    private static string Run(string file, params string[] args)
    {
        var (exitCode, output, error) = Execute(file, args);
        return exitCode == 0 ? output.Trim() : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
    }

    private static bool TryRun(string file, params string[] args) => Execute(file, args).ExitCode == 0;

    private static (int ExitCode, string Output, string Error) Execute(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");

        // Standard error is read as it comes (no blocking wait on a task), so neither pipe fills up.
        var error = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (error)
            {
                error.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(); // also waits until standard error has been read to its end
        lock (error)
        {
            return (process.ExitCode, output, error.ToString().Trim());
        }
    }
}
