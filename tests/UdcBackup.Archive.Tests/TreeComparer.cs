using UdcBackup.Archive.Native;

namespace UdcBackup.Archive.Tests;

/// <summary>Asserts that two folder trees are byte- and metadata-identical (what a restore must produce).</summary>
public static class TreeComparer
{
    private static readonly EnumerationOptions All = new() { AttributesToSkip = 0, RecurseSubdirectories = true, ReturnSpecialDirectories = false };

    public static void AssertIdentical(string expected, string actual, bool compareOwner = true)
    {
        var left = List(expected);
        var right = List(actual);
        right.Should().BeEquivalentTo(left, "the restored tree has the same names");
        var inodes = new Dictionary<ulong, string>();
        var restoredInodes = new Dictionary<ulong, string>();
        foreach (var relative in left)
        {
            var a = Path.Join(expected, relative);
            var b = Path.Join(actual, relative);
            var sa = LinuxFileSystem.Stat(a);
            var sb = LinuxFileSystem.Stat(b);
            (sb.Mode & FileStatus.TypeMask).Should().Be(sa.Mode & FileStatus.TypeMask, relative);
            if (!sa.IsSymlink)
            {
                (sb.Mode & 0xFFF).Should().Be(sa.Mode & 0xFFF, $"mode of {relative}");
            }

            if (compareOwner)
            {
                sb.Uid.Should().Be(sa.Uid, relative);
                sb.Gid.Should().Be(sa.Gid, relative);
            }

            sb.ModifiedNs.Should().Be(sa.ModifiedNs, $"mtime of {relative}");
            LinuxFileSystem.ReadXattrs(b).Should().BeEquivalentTo(LinuxFileSystem.ReadXattrs(a), $"xattrs of {relative}");
            if (sa.IsSymlink)
            {
                new FileInfo(b).LinkTarget.Should().Be(new FileInfo(a).LinkTarget, relative);
            }
            else if (sa.IsRegular)
            {
                sb.Size.Should().Be(sa.Size, relative);
                if (sa.MayBeSparse && sa.Size > (256L << 20))
                {
                    SameExtents(a, b).Should().BeTrue($"data extents of {relative}");
                }
                else
                {
                    SameContent(a, b).Should().BeTrue($"content of {relative}");
                }

                if (sa.LinkCount > 1)
                {
                    sb.LinkCount.Should().Be(sa.LinkCount, $"link count of {relative}");
                    if (inodes.TryGetValue(sa.Inode, out var first))
                    {
                        restoredInodes[sb.Inode].Should().Be(first, $"{relative} is a hardlink of {first}");
                    }
                    else
                    {
                        inodes[sa.Inode] = relative;
                        restoredInodes[sb.Inode] = relative;
                    }
                }

                if (sa.MayBeSparse)
                {
                    sb.Blocks.Should().BeLessThanOrEqualTo(sa.Blocks + 16, $"holes of {relative} are restored as holes");
                }
            }
        }
    }

    private static List<string> List(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", All).Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal).ToList();

    private static bool SameExtents(string a, string b)
    {
        using var ha = File.OpenHandle(a);
        using var hb = File.OpenHandle(b);
        var size = RandomAccess.GetLength(ha);
        var ea = LinuxFileSystem.DataExtents(ha, size);
        var eb = LinuxFileSystem.DataExtents(hb, size);
        if (!ea.SequenceEqual(eb))
        {
            return false;
        }

        foreach (var (offset, length) in ea)
        {
            var ba = new byte[length];
            var bb = new byte[length];
            RandomAccess.Read(ha, ba, offset);
            RandomAccess.Read(hb, bb, offset);
            if (!ba.AsSpan().SequenceEqual(bb))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameContent(string a, string b)
    {
        using var sa = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var sb = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var ba = new byte[1 << 20];
        var bb = new byte[1 << 20];
        while (true)
        {
            var ra = sa.ReadAtLeast(ba, ba.Length, throwOnEndOfStream: false);
            var rb = sb.ReadAtLeast(bb, bb.Length, throwOnEndOfStream: false);
            if (ra != rb || !ba.AsSpan(0, ra).SequenceEqual(bb.AsSpan(0, rb)))
            {
                return false;
            }

            if (ra == 0)
            {
                return true;
            }
        }
    }
}
