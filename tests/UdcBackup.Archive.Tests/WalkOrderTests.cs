using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// The stat walk lists many folders at once and puts the entries back in walk order: a folder, then
/// its entries by ordinal name, each one's subtree before the next. The snapshot's tree must come out
/// in exactly that order, whichever lister finished first, with excluded folders left unlisted and
/// symlinks to folders stored, not followed.
/// </summary>
public sealed class WalkOrderTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_tree_of_many_folders_is_stored_in_walk_order()
    {
        // More folders than listers, several levels deep, names whose ordinal order differs from
        // culture order and from length order, small and large fan-outs side by side.
        string[] names = ["B", "a", "a-b", "a.b", "ab", "Z9", "z", "é", "x y", "0"];
        for (var i = 0; i < names.Length; i++)
        {
            var top = Path.Join(_repo.Source, names[i]);
            Directory.CreateDirectory(top);
            File.WriteAllText(Path.Join(top, "f"), names[i]);
            for (var j = 0; j < (i % 3 == 0 ? 12 : 3); j++)
            {
                var middle = Path.Join(top, names[j % names.Length] + j);
                var deep = Path.Join(middle, "d1", "d2", names[(i + j) % names.Length]);
                Directory.CreateDirectory(deep);
                File.WriteAllText(Path.Join(deep, "leaf"), $"{i}.{j}");
                File.WriteAllText(Path.Join(middle, "m"), "");
            }
        }

        Directory.CreateDirectory(Path.Join(_repo.Source, "cache", "inner"));
        File.WriteAllText(Path.Join(_repo.Source, "cache", "inner", "skipped"), "x");
        File.CreateSymbolicLink(Path.Join(_repo.Source, "a", "to-B"), Path.Join(_repo.Source, "B"));

        Snapshot snapshot;
        List<ArchiveEntry> entries;
        using (var repository = _repo.Open())
        {
            snapshot = await new FileSystemBackup(repository, new BackupOptions { Paths = [_repo.Source], Excludes = ["cache"] }).RunAsync(CancellationToken.None);
            entries = SnapshotReader.ReadEntries(repository, snapshot);
        }

        var source = _repo.Source.TrimStart('/');
        var stored = entries.Select(e => e.Path).Where(p => p == source || p.StartsWith(source + "/", StringComparison.Ordinal)).ToList();
        stored.Should().Equal([source, .. Reference(_repo.Source)]);
        stored.Should().HaveCountGreaterThan(200).And.NotContain(p => p.Contains("/cache", StringComparison.Ordinal));
        entries.Single(e => e.Path.EndsWith("/a/to-B", StringComparison.Ordinal)).Type.Should().Be(EntryType.Symlink);
        snapshot.Summary!.Warnings.Should().BeEmpty();
    }

    /// <summary>Walk order by definition: one folder at a time, depth first, children by ordinal name.</summary>
    private static IEnumerable<string> Reference(string folder)
    {
        foreach (var child in Directory.EnumerateFileSystemEntries(folder).OrderBy(Path.GetFileName, StringComparer.Ordinal))
        {
            if (Path.GetFileName(child) == "cache")
            {
                continue;
            }

            yield return child.TrimStart('/');
            if (Directory.Exists(child) && new FileInfo(child).LinkTarget is null)
            {
                foreach (var below in Reference(child))
                {
                    yield return below;
                }
            }
        }
    }
}
