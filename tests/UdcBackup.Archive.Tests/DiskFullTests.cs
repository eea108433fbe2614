using System.Text.Json;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.Repository;
using UdcBackup.Testing;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// A repository or restore target whose file system fills up (a small tmpfs, out of bytes or out of
/// inodes): the command fails with exit 1 and one message naming the full folder, leaves no temp
/// file and nothing that points at missing data, and the same command completes once space is freed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // it mounts tmpfs file systems (Tmpfs)
public sealed class DiskFullTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly List<Tmpfs> _mounts = [];

    public void Dispose()
    {
        foreach (var mount in _mounts)
        {
            mount.Dispose();
        }

        _repo.Dispose();
    }

    [Fact]
    public async Task Backup_into_a_repository_that_fills_up_fails_naming_it_and_after_growing_the_next_backup_reuses_the_finished_packs()
    {
        var repository = RepositoryOn(Mount("size=40m"));
        for (var i = 0; i < 4; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"f{i}.bin"), SourceTree.Random(14 << 20, i)); // 56 MiB that do not compress
        }

        var full = await Udc(repository, "archive", "backup", _repo.Source);

        full.ExitCode.Should().Be(1, full.Output + full.Error);
        full.Error.Should().Contain($"No space left in the repository {repository}").And.Contain("the next backup reuses them").And.NotContain(" at UdcBackup");
        full.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle("one message, no warnings that the source files were skipped");
        AssertNoSnapshotNoTempNoLock(repository);
        var finished = Packs(repository);
        finished.Should().NotBeEmpty("packs of 16 MiB were finished before the 40 MiB filled up");
        (await Udc(repository, "archive", "verify")).ExitCode.Should().Be(0);

        _mounts[0].Remount("size=256m");
        var again = await Udc(repository, "archive", "backup", _repo.Source);

        again.ExitCode.Should().Be(0, again.Error);
        Packs(repository).Should().Contain(finished);
        Packs(repository).Sum(p => new FileInfo(p).Length).Should().BeLessThan(60 << 20, "the finished packs' chunks are reused, not stored again");
        (await Udc(repository, "archive", "verify")).ExitCode.Should().Be(0);
    }

    [Theory]
    [InlineData(3, "index")] // lock, data/xx, pack: the index file is the first that finds no inode
    [InlineData(4, "snapshot")] // and then the snapshot manifest
    public async Task A_backup_whose_last_writes_find_no_space_saves_no_snapshot_and_the_next_one_reuses_its_pack(int freeInodes, string failing)
    {
        var tmpfs = Mount("size=64m");
        var repository = RepositoryOn(tmpfs);
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(100_000, 1));
        tmpfs.LeaveInodes(freeInodes);

        var full = await Udc(repository, "archive", "backup", _repo.Source);

        full.ExitCode.Should().Be(1, $"the {failing} write fails: {full.Output}{full.Error}");
        full.Error.Should().Contain($"No space left in the repository {repository}").And.Contain("No snapshot was saved");
        AssertNoSnapshotNoTempNoLock(repository);
        Directory.GetFiles(Path.Join(repository, "index")).Should().HaveCount(failing == "index" ? 0 : 1);
        var pack = Packs(repository).Should().ContainSingle().Which;
        (await Udc(repository, "archive", "verify")).ExitCode.Should().Be(0);

        tmpfs.Remount("nr_inodes=1000");
        var again = await Udc(repository, "archive", "backup", _repo.Source, "--json");

        again.ExitCode.Should().Be(0, again.Error);
        JsonDocument.Parse(again.Output).RootElement.GetProperty("summary").GetProperty("newBytes").GetInt64()
            .Should().BeLessThan(100_000, "a.bin's chunk is reused from the pack of the failed backup; only the tree is new");
        Packs(repository).Should().Contain(pack);
        Directory.GetFiles(Path.Join(repository, "snapshots")).Should().ContainSingle();
        (await Udc(repository, "archive", "verify")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task A_backup_into_a_repository_without_an_inode_for_its_lock_says_so_and_changes_nothing()
    {
        var tmpfs = Mount("size=16m");
        var repository = RepositoryOn(tmpfs);
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(100_000, 1));
        tmpfs.LeaveInodes(0);

        var full = await Udc(repository, "archive", "backup", _repo.Source);

        full.ExitCode.Should().Be(1, full.Output + full.Error);
        full.Error.Should().Contain($"The repository cannot be locked: no space left in {Path.Join(repository, "locks")}").And.Contain("Nothing was changed");
        Packs(repository).Should().BeEmpty();
        AssertNoSnapshotNoTempNoLock(repository);
    }

    [Fact]
    public async Task Restore_into_a_target_that_fills_up_fails_naming_it_leaves_no_half_written_file_and_a_second_run_completes()
    {
        for (var i = 0; i < 3; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"f{i}.bin"), SourceTree.Random(10 << 20, i));
        }

        await _repo.BackupAsync();
        var tmpfs = Mount("size=16m");
        var target = Path.Join(tmpfs.Path, "out");

        var full = await Udc(_repo.RepositoryPath, "archive", "restore", "latest", "--target", target);

        full.ExitCode.Should().Be(1, full.Output + full.Error);
        full.Error.Should().Contain($"No space left in the restore target {target}").And.Contain("run the same restore again").And.NotContain(" at UdcBackup");
        var restored = Directory.GetFiles(target, "*", SearchOption.AllDirectories);
        restored.Should().NotContain(f => Path.GetFileName(f).StartsWith(".udc-restore-", StringComparison.Ordinal), "an unfinished file is removed");
        foreach (var file in restored)
        {
            File.ReadAllBytes(file).Should().Equal(File.ReadAllBytes(Path.Join(_repo.Source, Path.GetFileName(file))), $"{file} has its final name, so it is complete");
        }

        tmpfs.Remount("size=128m");
        var again = await Udc(_repo.RepositoryPath, "archive", "restore", "latest", "--target", target);

        again.ExitCode.Should().Be(0, again.Error);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
    }

    [Fact]
    public async Task Forget_prune_without_space_for_the_new_index_removes_nothing_and_prunes_once_space_is_freed()
    {
        var tmpfs = Mount("size=32m");
        var repository = RepositoryOn(tmpfs);
        await TwoBackupsTheSecondWithoutAbin(repository);
        (await Udc(repository, "archive", "forget", "--keep-last", "1")).ExitCode.Should().Be(0);
        var indexFiles = Directory.GetFiles(Path.Join(repository, "index")).Order().ToList();
        var packs = Packs(repository);
        tmpfs.LeaveInodes(1); // the lock's: neither the repacked pack nor the new index file finds one

        var full = await Udc(repository, "archive", "forget", "--keep-last", "1", "--prune");

        full.ExitCode.Should().Be(1, full.Output + full.Error);
        full.Error.Should().Contain($"No space left in the repository {repository}").And.Contain("before removing anything");
        Directory.GetFiles(Path.Join(repository, "index")).Order().Should().Equal(indexFiles, "the old index stays until a new one is durable");
        Packs(repository).Should().Equal(packs);
        AssertNoTempNoLock(repository);
        (await Udc(repository, "archive", "verify")).ExitCode.Should().Be(0);

        tmpfs.Remount("nr_inodes=1000");
        var again = await Udc(repository, "archive", "forget", "--keep-last", "1", "--prune");

        again.ExitCode.Should().Be(0, again.Error);
        again.Output.Should().Contain("1 repacked into 1");
        (await Udc(repository, "archive", "verify")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Forget_prune_on_a_full_repository_deletes_the_packs_nothing_uses_and_keeps_those_it_has_no_space_to_rewrite()
    {
        var tmpfs = Mount("size=32m");
        var repository = RepositoryOn(tmpfs);
        SourceTree.WriteFile(Path.Join(_repo.Source, "x.bin"), SourceTree.Random(3 << 20, 3));
        (await Udc(repository, "archive", "backup", _repo.Source)).ExitCode.Should().Be(0);
        var unused = Packs(repository).Should().ContainSingle().Which;
        File.Delete(Path.Join(_repo.Source, "x.bin"));
        await TwoBackupsTheSecondWithoutAbin(repository);
        var filler = Path.Join(tmpfs.Path, "filler");
        tmpfs.FillUpTo(filler, 1 << 20); // b.bin's 3 MiB, kept from the half-used pack, do not fit

        var full = await Udc(repository, "archive", "forget", "--keep-last", "1", "--prune");

        full.ExitCode.Should().Be(0, full.Output + full.Error);
        full.Output.Should().Contain("pruned: 1 packs deleted, 0 repacked into 0");
        full.Error.Should().Contain("1 partly unused packs were kept whole: the repository has no space to rewrite them");
        Packs(repository).Should().NotContain(unused).And.HaveCount(2);
        AssertNoTempNoLock(repository);
        (await Udc(repository, "archive", "verify")).ExitCode.Should().Be(0);
        var target = Path.Join(_repo.Root, "restored");
        (await Udc(repository, "archive", "restore", "latest", "--target", target)).ExitCode.Should().Be(0);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));

        File.Delete(filler);
        var again = await Udc(repository, "archive", "forget", "--keep-last", "1", "--prune");

        again.ExitCode.Should().Be(0, again.Error);
        again.Output.Should().Contain("1 repacked into 1");
        (await Udc(repository, "archive", "verify")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task A_repack_that_fills_the_repository_midway_removes_the_packs_it_had_finished()
    {
        var tmpfs = Mount("size=96m");
        var repository = RepositoryOn(tmpfs);
        for (var i = 0; i < 40; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"f{i:00}.bin"), SourceTree.Random(1 << 20, i));
        }

        (await Udc(repository, "archive", "backup", _repo.Source)).ExitCode.Should().Be(0);
        for (var i = 0; i < 40; i += 2)
        {
            File.Delete(Path.Join(_repo.Source, $"f{i:00}.bin")); // every pack is left about half used
        }

        (await Udc(repository, "archive", "backup", _repo.Source)).ExitCode.Should().Be(0);
        var packs = Packs(repository);
        tmpfs.FillUpTo(Path.Join(tmpfs.Path, "filler"), 18 << 20); // the 20 MiB still used: one new 16 MiB pack fits, the next does not

        var full = await Udc(repository, "archive", "forget", "--keep-last", "1", "--prune");

        full.ExitCode.Should().Be(0, full.Output + full.Error);
        full.Error.Should().Contain("partly unused packs were kept whole");
        Packs(repository).Should().BeSubsetOf(packs, "the new pack that was finished is in no index; it is removed, not left taking the space");
        AssertNoTempNoLock(repository);
        (await Udc(repository, "archive", "verify")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Repair_index_without_space_for_the_new_index_keeps_the_old_one()
    {
        var tmpfs = Mount("size=16m");
        var repository = RepositoryOn(tmpfs);
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(100_000, 1));
        (await Udc(repository, "archive", "backup", _repo.Source)).ExitCode.Should().Be(0);
        var indexFiles = Directory.GetFiles(Path.Join(repository, "index"));
        tmpfs.LeaveInodes(1); // the lock's; the new index file finds none

        var full = await Udc(repository, "archive", "repair", "index");

        full.ExitCode.Should().Be(1, full.Output + full.Error);
        full.Error.Should().Contain($"No space left in the repository {repository}").And.Contain("the old index files stay as they were");
        Directory.GetFiles(Path.Join(repository, "index")).Should().Equal(indexFiles);
        AssertNoTempNoLock(repository);

        tmpfs.Remount("nr_inodes=1000");
        (await Udc(repository, "archive", "repair", "index")).ExitCode.Should().Be(0);
        (await Udc(repository, "archive", "verify")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task A_file_written_into_a_full_repository_leaves_no_temp_file()
    {
        var tmpfs = Mount("size=1m");
        var repository = RepositoryOn(tmpfs);
        var passwordFile = Path.Join(_repo.Root, "new-password");
        await File.WriteAllTextAsync(passwordFile, "another password");
        tmpfs.FillUpTo(Path.Join(tmpfs.Path, "filler"), 0);

        var full = await Udc(repository, "archive", "key", "add", "--new-password-file", passwordFile);

        full.ExitCode.Should().Be(1, full.Output + full.Error);
        full.Error.Should().Contain("No space left");
        Directory.GetFiles(Path.Join(repository, "keys")).Should().ContainSingle();
        Directory.GetFiles(Path.Join(repository, "tmp")).Should().BeEmpty("the key file's temp, which found no space, is removed");
    }

    [Fact]
    public void An_unfinished_pack_whose_buffered_tail_finds_no_space_is_removed_without_a_second_error()
    {
        var tmpfs = Mount("size=1m");
        var writer = new PackWriter(tmpfs.Path);
        writer.Add(BlobId.Hash(new byte[1000]), BlobType.Data, compressed: false, 1000, new byte[1000]); // held in the write buffer
        tmpfs.FillUpTo(Path.Join(tmpfs.Path, "filler"), 0);

        writer.Invoking(w => w.Dispose()).Should().NotThrow("the error that stopped the pack is the one to report");
        Directory.GetFiles(tmpfs.Path, "pack-*").Should().BeEmpty();
    }

    [Fact]
    public async Task Init_on_a_full_file_system_leaves_no_half_made_repository_and_succeeds_once_space_is_freed()
    {
        var tmpfs = Mount("size=1m");
        var filler = Path.Join(tmpfs.Path, "filler");
        tmpfs.FillUpTo(filler, 0);
        var repository = Path.Join(tmpfs.Path, "repo");

        var full = await Udc(repository, "archive", "init", "--kdf-iterations", "1000");

        full.ExitCode.Should().Be(1, full.Output + full.Error);
        full.Error.Should().Contain($"No space left to create a repository at {repository}").And.NotContain(" at UdcBackup");
        Directory.Exists(repository).Should().BeFalse("a half-made repository would make the next init refuse its folder");

        File.Delete(filler);
        var again = await Udc(repository, "archive", "init", "--kdf-iterations", "1000");

        again.ExitCode.Should().Be(0, again.Error);
        using var opened = ArchiveRepository.Open(repository, TestRepository.Password);
    }

    private Tmpfs Mount(string options)
    {
        var tmpfs = new Tmpfs(Path.Join(_repo.Root, $"tmpfs{_mounts.Count}"), options);
        _mounts.Add(tmpfs);
        return tmpfs;
    }

    private static string RepositoryOn(Tmpfs tmpfs)
    {
        var path = Path.Join(tmpfs.Path, "repo");
        using var repository = ArchiveRepository.Init(path, TestRepository.Password, kdfIterations: 1000);
        return path;
    }

    /// <summary>Backs up a.bin and b.bin (3 MiB each, one pack), then without a.bin: forgetting the first leaves that pack half used.</summary>
    private async Task TwoBackupsTheSecondWithoutAbin(string repository)
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(3 << 20, 1));
        SourceTree.WriteFile(Path.Join(_repo.Source, "b.bin"), SourceTree.Random(3 << 20, 2));
        (await Udc(repository, "archive", "backup", _repo.Source)).ExitCode.Should().Be(0);
        File.Delete(Path.Join(_repo.Source, "a.bin"));
        (await Udc(repository, "archive", "backup", _repo.Source)).ExitCode.Should().Be(0);
    }

    private static List<string> Packs(string repository) =>
        [.. Directory.GetFiles(Path.Join(repository, "data"), "*", SearchOption.AllDirectories).Order()];

    private static void AssertNoSnapshotNoTempNoLock(string repository)
    {
        Directory.GetFiles(Path.Join(repository, "snapshots")).Should().BeEmpty("no snapshot may point at data that was not stored");
        AssertNoTempNoLock(repository);
    }

    private static void AssertNoTempNoLock(string repository)
    {
        Directory.GetFiles(Path.Join(repository, "tmp")).Should().BeEmpty();
        Directory.GetFiles(Path.Join(repository, "locks")).Should().BeEmpty();
    }

    private static Task<(int ExitCode, string Output, string Error)> Udc(string repository, params string[] args) =>
        UdcProcess.RunAsync(TestRepository.Password, [.. args, "--repo", repository]);
}
