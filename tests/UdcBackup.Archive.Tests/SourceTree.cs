using System.Diagnostics;
using UdcBackup.Archive.Native;

namespace UdcBackup.Archive.Tests;

/// <summary>Builds source folders with every kind of entry and metadata a restore must keep.</summary>
public static class SourceTree
{
    public static void WriteFile(string path, byte[] content, long? mtimeNs = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        if (mtimeNs is { } ns)
        {
            LinuxFileSystem.SetTimes(path, ns);
        }
    }

    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Text that compresses well and shares content across files (exercises dedup).</summary>
    public static byte[] Text(int length, int seed)
    {
        var random = new Random(seed);
        var words = new[] { "backup", "restore", "snapshot", "chunk", "pack", "index", "tier", "agent" };
        var builder = new System.Text.StringBuilder();
        while (builder.Length < length)
        {
            builder.Append(words[random.Next(words.Length)]).Append(random.Next(10) == 0 ? '\n' : ' ');
        }

        return System.Text.Encoding.ASCII.GetBytes(builder.ToString(0, length));
    }

    /// <summary>A file of <paramref name="size"/> bytes with data only in the given regions.</summary>
    public static void WriteSparse(string path, long size, params (long Offset, byte[] Data)[] regions)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        RandomAccess.SetLength(handle, size);
        foreach (var (offset, data) in regions)
        {
            RandomAccess.Write(handle, data, offset);
        }
    }

    public static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException($"{file} did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{file} {string.Join(' ', args)} failed: {error}");
    }

    /// <summary>setfattr from the 'attr' package (deploy/install-deps.sh test installs it).</summary>
    public static void SetXattr(string path, string name, string value)
    {
        File.Exists("/usr/bin/setfattr").Should().BeTrue("the 'attr' package provides setfattr; install it with deploy/install-deps.sh test");
        Run("/usr/bin/setfattr", "-h", "-n", name, "-v", value, path);
    }

    public static bool IsRoot => Environment.UserName == "root";
}
