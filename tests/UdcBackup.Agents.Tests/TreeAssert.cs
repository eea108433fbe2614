using System.Security.Cryptography;

namespace UdcBackup.Agents.Tests;

/// <summary>
/// Compares two folder trees as the archive keeps them: the same relative paths with the same
/// kind, content (SHA-256), permission bits and modification time (files and folders) and link targets.
/// </summary>
public static class TreeAssert
{
    public static void Identical(string expected, string actual)
    {
        var left = Describe(expected);
        var right = Describe(actual);
        right.Keys.Should().BeEquivalentTo(left.Keys, "the restored tree has the same paths");
        foreach (var (path, description) in left)
        {
            right[path].Should().Be(description, $"'{path}' is restored exactly");
        }
    }

    private static Dictionary<string, string> Describe(string root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var info in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(root, info.FullName);
            var mode = info.UnixFileMode;
            string what = info switch
            {
                _ when info.LinkTarget is { } target => $"link -> {target}",
                FileInfo file => $"file {file.Length} {Hash(file.FullName)} {mode} {file.LastWriteTimeUtc.Ticks}",
                _ => $"dir {mode} {info.LastWriteTimeUtc.Ticks}",
            };
            result[relative] = what;
        }

        return result;
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
