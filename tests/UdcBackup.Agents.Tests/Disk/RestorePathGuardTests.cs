using UdcBackup.Agents.Disk;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Tests.Disk;

public sealed class RestorePathGuardTests
{
    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("data/../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("")]
    [InlineData("a//b")]
    [InlineData("./a")]
    [InlineData("a\\..\\b")]
    public async Task Entries_escaping_the_target_stop_the_restore(string path)
    {
        var check = () => Drain(Entry(path, EntryType.File));
        await check.Should().ThrowAsync<InvalidDataException>().WithMessage("*not a plain relative path*");
    }

    [Fact]
    public async Task Nothing_may_be_written_through_a_symbolic_link_restored_earlier()
    {
        var check = () => Drain(Entry("data/link", EntryType.Symlink, "/etc"), Entry("data/link/passwd", EntryType.File));
        await check.Should().ThrowAsync<InvalidDataException>().WithMessage("*below a symbolic link*");
    }

    [Fact]
    public async Task Hard_links_must_point_inside_the_restore()
    {
        var check = () => Drain(Entry("data/x", EntryType.Hardlink, "../../etc/shadow"));
        await check.Should().ThrowAsync<InvalidDataException>().WithMessage("*hard link to an unsafe path*");
    }

    [Fact]
    public async Task With_a_scope_entries_and_hard_links_beside_the_included_paths_stop_the_restore()
    {
        IReadOnlyList<string> scope = ["srv/data"];
        var inside = await Drain(scope, Entry("srv/data", EntryType.Directory), Entry("srv/data/a", EntryType.File), Entry("srv/data/h", EntryType.Hardlink, "srv/data/a"));
        inside.Should().Equal("srv/data", "srv/data/a", "srv/data/h");

        var beside = () => Drain(scope, Entry("srv/data-old/a", EntryType.File));
        await beside.Should().ThrowAsync<InvalidDataException>().WithMessage("*outside the requested include paths*");
        var parent = () => Drain(scope, Entry("srv", EntryType.Directory));
        await parent.Should().ThrowAsync<InvalidDataException>().WithMessage("*outside the requested include paths*");
        var link = () => Drain(scope, Entry("srv/data/h", EntryType.Hardlink, "etc/shadow"));
        await link.Should().ThrowAsync<InvalidDataException>().WithMessage("*hard link to an unsafe path*");
    }

    [Theory]
    [InlineData("/srv/data/", "srv/data")]
    [InlineData("srv/data", "srv/data")]
    [InlineData("/srv/*", null)]
    [InlineData("/srv/../etc", null)]
    [InlineData(" /srv", null)]
    [InlineData("/", null)]
    public void Only_literal_safe_includes_make_a_scope(string include, string? literal) =>
        RestorePathGuard.LiteralInclude(include).Should().Be(literal);

    [Fact]
    public async Task Ordinary_entries_pass_in_order()
    {
        var passed = await Drain(Entry("data", EntryType.Directory), Entry("data/a.txt", EntryType.File), Entry("data/l", EntryType.Symlink, "a.txt"), Entry("data/h", EntryType.Hardlink, "data/a.txt"));
        passed.Should().Equal("data", "data/a.txt", "data/l", "data/h");
    }

    private static StreamedEntry Entry(string path, EntryType type, string? linkTarget = null) =>
        new(new ArchiveEntry { Path = path, Type = type, LinkTarget = linkTarget }, null, null);

    private static Task<List<string>> Drain(params StreamedEntry[] entries) => Drain(null, entries);

    private static async Task<List<string>> Drain(IReadOnlyList<string>? scope, params StreamedEntry[] entries)
    {
        var paths = new List<string>();
        await foreach (var e in RestorePathGuard.CheckAsync(entries.ToAsyncEnumerable(), scope))
        {
            paths.Add(e.Header.Path);
        }

        return paths;
    }
}
