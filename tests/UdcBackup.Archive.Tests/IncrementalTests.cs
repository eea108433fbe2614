using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Tests;

/// <summary>Backups against a parent read only what changed and still restore everything.</summary>
public sealed class IncrementalTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task An_unchanged_tree_is_not_read_and_adds_nothing()
    {
        for (var i = 0; i < 30; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"d{i % 3}", $"f{i}.txt"), SourceTree.Text(20_000 + i, i));
        }

        var first = await _repo.BackupAsync();
        var second = await _repo.BackupAsync();

        second.Kind.Should().Be("incremental");
        second.Parent.Should().Be(first.Id.ToString());
        second.Summary.FilesRead.Should().Be(0);
        // The snapshot also records the source's ancestors (the temp folder, /tmp), whose times
        // other processes change at any moment; so a new tree chunk may appear, but no file data.
        second.Summary.NewBytes.Should().BeLessThan(first.Summary.NewBytes / 10, "only tree metadata may be new, never file content");
        second.Summary.Files.Should().Be(first.Summary.Files);
        second.Summary.Bytes.Should().Be(first.Summary.Bytes);
    }

    [Fact]
    public async Task A_walk_started_before_the_repository_opens_gives_the_same_backup()
    {
        for (var i = 0; i < 12; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"d{i % 3}", $"f{i}.txt"), SourceTree.Text(10_000 + i, i));
        }

        var first = await _repo.BackupAsync();
        SourceTree.WriteFile(Path.Join(_repo.Source, "d0", "new.txt"), SourceTree.Text(5000, 99));
        var options = new Backup.BackupOptions { Paths = [_repo.Source] };
        var scan = Backup.FileSystemBackup.StartScan(options);
        Snapshot second;
        using (var repository = _repo.Open())
        {
            second = await new Backup.FileSystemBackup(repository, options).RunAsync(scan, CancellationToken.None);
        }

        second.Parent.Should().Be(first.Id.ToString());
        second.Summary.Files.Should().Be(first.Summary.Files + 1);
        second.Summary.FilesRead.Should().Be(1, "only the new file is read");
        var (target, _) = await _repo.RestoreAsync(second);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target), compareOwner: SourceTree.IsRoot);
        var missing = () => Backup.FileSystemBackup.StartScan(new Backup.BackupOptions { Paths = [Path.Join(_repo.Source, "missing")] });
        missing.Should().Throw<ArchiveException>().Where(e => e.Code == ArchiveErrorCode.InvalidArgument);
    }

    [Fact]
    public async Task Only_changed_files_are_read_and_the_incremental_snapshot_restores_completely()
    {
        for (var i = 0; i < 20; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"f{i}.bin"), SourceTree.Random(100_000, i));
        }

        SourceTree.WriteFile(Path.Join(_repo.Source, "big.bin"), SourceTree.Random(6_000_000, 99));
        await _repo.BackupAsync();
        SourceTree.WriteFile(Path.Join(_repo.Source, "f3.bin"), SourceTree.Random(100_000, 1003));
        File.Delete(Path.Join(_repo.Source, "f4.bin"));
        SourceTree.WriteFile(Path.Join(_repo.Source, "new.bin"), SourceTree.Random(50_000, 2000));
        using (var stream = File.OpenWrite(Path.Join(_repo.Source, "big.bin")))
        {
            stream.Seek(0, SeekOrigin.End);
            stream.Write(SourceTree.Random(10_000, 5));
        }

        var second = await _repo.BackupAsync();

        second.Summary.FilesRead.Should().Be(3);
        second.Summary.NewBytes.Should().BeLessThan(3_000_000, "the appended big file shares all but its last chunks");
        var (target, _) = await _repo.RestoreAsync(second);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
    }

    [Fact]
    public async Task A_file_changing_while_it_is_read_is_stored_as_read_and_flagged()
    {
        var path = Path.Join(_repo.Source, "growing.log");
        SourceTree.WriteFile(path, SourceTree.Text(40_000_000, 1));
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var line = System.Text.Encoding.ASCII.GetBytes("appended while the backup reads this file\n");
            while (!stop.IsCancellationRequested)
            {
                await using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
                {
                    await stream.WriteAsync(line);
                }

                await Task.Yield();
            }
        });

        Snapshot snapshot;
        try
        {
            snapshot = await _repo.BackupAsync();
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        snapshot.Summary.Warnings.Should().ContainSingle().Which.Should().Contain("changed while it was read");
        using var repository = _repo.Open();
        var entry = SnapshotReader.ReadEntries(repository, snapshot).Single(e => e.Path.EndsWith("growing.log", StringComparison.Ordinal));
        entry.ChangedDuringBackup.Should().BeTrue();
        entry.Content.Sum(c => (long)c.Length).Should().Be(entry.Size, "the stored size is what was read");
        var (target, _) = await _repo.RestoreAsync(snapshot);
        var restored = File.ReadAllBytes(Path.Join(_repo.RestoredSource(target), "growing.log"));
        restored.Length.Should().Be((int)entry.Size);
        restored.Should().Equal(File.ReadAllBytes(path).AsSpan(0, restored.Length).ToArray(), "the file only grew, so what was read is a prefix of it");
        new Verify.Verifier(repository).Run(readData: true, CancellationToken.None).IsClean.Should().BeTrue();
    }
}
