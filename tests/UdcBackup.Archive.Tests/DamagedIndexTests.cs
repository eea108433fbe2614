using System.Diagnostics;
using System.Text.Json;
using UdcBackup.Archive.Retention;
using UdcBackup.Archive.Verify;

namespace UdcBackup.Archive.Tests;

/// <summary>
/// A damaged index file: backups and restores go on from the packs' own headers, verify names the
/// file, <c>udc archive repair index</c> rebuilds the index; and verify on a read-only file system.
/// </summary>
public sealed class DamagedIndexTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly List<string> _firstPacks = [];

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task With_an_index_file_damaged_restore_is_byte_exact_backup_completes_and_indexes_its_packs_and_verify_names_the_file()
    {
        var damaged = await TwoBackupsWithTheFirstIndexFileDamaged(truncate: false);
        var target = Path.Join(_repo.Root, "restored");

        var restore = await Udc("archive", "restore", "latest", "--target", target);

        restore.ExitCode.Should().Be(0, restore.Error);
        restore.Error.Split('\n').Where(l => l.Contains(damaged, StringComparison.Ordinal)).Should().ContainSingle("one warning names the damaged index file")
            .Which.Should().StartWith("warning: ").And.Contain("udc archive repair index");
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
        File.ReadAllBytes(Path.Join(_repo.RestoredSource(target), "a.bin")).Should().Equal(File.ReadAllBytes(Path.Join(_repo.Source, "a.bin")), "a.bin's data is in the pack only the damaged index file listed");

        var ls = await Udc("archive", "ls", "latest", "--json");
        var verify = await Udc("archive", "verify");
        SourceTree.WriteFile(Path.Join(_repo.Source, "c.bin"), SourceTree.Random(200_000, 3));
        var backup = await Udc("archive", "backup", _repo.Source);

        ls.ExitCode.Should().Be(0, ls.Error);
        JsonDocument.Parse(ls.Output).RootElement.EnumerateArray().Select(e => e.GetProperty("path").GetString())
            .Should().Contain(p => p!.EndsWith("/a.bin", StringComparison.Ordinal)).And.Contain(p => p!.EndsWith("/b.bin", StringComparison.Ordinal));
        ls.Error.Should().StartWith("warning: ").And.Contain(damaged, "ls works from the packs' headers and says why");
        verify.ExitCode.Should().Be(1, verify.Output + verify.Error);
        verify.Error.Should().Contain($"error: Index file {damaged}");
        backup.ExitCode.Should().Be(0, backup.Output + backup.Error);
        backup.Error.Should().Contain(damaged).And.Contain("udc archive repair index");

        // The backup listed the packs it adopted in its own index file: without the damaged file the
        // repository is whole.
        File.Delete(Path.Join(_repo.RepositoryPath, "index", damaged));
        using var repository = _repo.Open();
        var report = new Verifier(repository).Run(readData: true, CancellationToken.None);
        report.Errors.Should().BeEmpty();
        report.Notes.Should().BeEmpty("no pack is left out of the index files");
        report.IsClean.Should().BeTrue();
    }

    [Fact]
    public async Task Repair_index_replaces_a_truncated_index_file_by_one_listing_every_pack_and_verify_is_then_clean()
    {
        var damaged = await TwoBackupsWithTheFirstIndexFileDamaged(truncate: true);
        var before = Directory.GetFiles(Path.Join(_repo.RepositoryPath, "index")).Select(Path.GetFileName).ToList();
        int packs;
        using (var repository = _repo.Open())
        {
            packs = repository.ListPackFiles().Count();
        }

        var repair = await Udc("archive", "repair", "index", "--json");
        var verify = await Udc("archive", "verify", "--read-data");

        repair.ExitCode.Should().Be(0, repair.Output + repair.Error);
        var answer = JsonDocument.Parse(repair.Output).RootElement;
        answer.GetProperty("clean").GetBoolean().Should().BeTrue();
        answer.GetProperty("packs").GetInt32().Should().Be(packs);
        answer.GetProperty("damagedPacks").GetArrayLength().Should().Be(0);
        answer.GetProperty("removedIndexFiles").EnumerateArray().Select(e => e.GetString()).Should().BeEquivalentTo(before).And.Contain(damaged);
        Directory.GetFiles(Path.Join(_repo.RepositoryPath, "index")).Select(Path.GetFileName)
            .Should().Equal([answer.GetProperty("indexFile").GetString()], "one new index file replaces all the old ones");
        verify.ExitCode.Should().Be(0, verify.Output + verify.Error);
        verify.Output.Should().Contain("no errors found");
        var (target, _) = await _repo.RestoreAsync(LatestSnapshot());
        File.ReadAllBytes(Path.Join(_repo.RestoredSource(target), "a.bin")).Should().Equal(File.ReadAllBytes(Path.Join(_repo.Source, "a.bin")));
    }

    [Fact]
    public async Task Repair_index_names_a_pack_whose_header_cannot_be_read_exits_1_and_leaves_the_pack_where_it_is()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(200_000, 1));
        await _repo.BackupAsync();
        var pack = Directory.GetFiles(Path.Join(_repo.RepositoryPath, "data"), "*", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(pack);
        bytes[^8] ^= 0x5a; // inside the sealed header's tag
        File.WriteAllBytes(pack, bytes);

        var repair = await Udc("archive", "repair", "index");

        repair.ExitCode.Should().Be(1, repair.Output + repair.Error);
        repair.Error.Should().Contain($"error: pack {Path.GetFileName(pack)}").And.Contain("stays in data/");
        File.Exists(pack).Should().BeTrue();
        using var repository = _repo.Open();
        repository.Index.ContainsPack(Format.BlobId.Parse(Path.GetFileName(pack))).Should().BeTrue("the readable index's listing of it is kept: its blobs are reachable as before");
    }

    [Fact]
    public async Task A_pack_whose_header_cannot_be_read_and_that_only_the_damaged_index_listed_makes_its_files_damaged_never_wrong()
    {
        var damaged = await TwoBackupsWithTheFirstIndexFileDamaged(truncate: false);
        var firstPack = _firstPacks.Should().ContainSingle().Subject;
        var bytes = File.ReadAllBytes(firstPack);
        bytes[^8] ^= 0x5a;
        File.WriteAllBytes(firstPack, bytes);
        var target = Path.Join(_repo.Root, "restored");

        var restore = await Udc("archive", "restore", "latest", "--target", target);

        restore.ExitCode.Should().Be(1, restore.Output + restore.Error);
        restore.Error.Should().Contain("a.bin").And.Contain(damaged);
        File.Exists(Path.Join(_repo.RestoredSource(target), "a.bin")).Should().BeFalse("a file whose data cannot be located is not written");
        File.ReadAllBytes(Path.Join(_repo.RestoredSource(target), "b.bin")).Should().Equal(File.ReadAllBytes(Path.Join(_repo.Source, "b.bin")));
    }

    [Fact]
    public async Task Prune_refuses_while_an_index_file_is_damaged_and_removes_nothing()
    {
        var damaged = await TwoBackupsWithTheFirstIndexFileDamaged(truncate: false);
        var files = Directory.GetFiles(_repo.RepositoryPath, "*", SearchOption.AllDirectories).Order().ToList();
        using var repository = _repo.Open();

        var act = () => new Pruner(repository).Run(CancellationToken.None);

        act.Should().Throw<ArchiveException>().Which.Message.Should().Contain(damaged).And.Contain("udc archive repair index");
        Directory.GetFiles(_repo.RepositoryPath, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/locks/", StringComparison.Ordinal)).Order()
            .Should().Equal(files.Where(f => !f.Contains("/locks/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Forget_with_prune_refuses_before_forgetting_anything_while_an_index_file_is_damaged()
    {
        var damaged = await TwoBackupsWithTheFirstIndexFileDamaged(truncate: false);
        var snapshots = Directory.GetFiles(Path.Join(_repo.RepositoryPath, "snapshots")).Order().ToList();

        var dryRun = await Udc("archive", "forget", "--keep-last", "1", "--prune", "--dry-run");
        var forget = await Udc("archive", "forget", "--keep-last", "1", "--prune");

        dryRun.ExitCode.Should().Be(1, "the dry run says what the real one would do: " + dryRun.Output + dryRun.Error);
        forget.ExitCode.Should().Be(1, forget.Output + forget.Error);
        forget.Error.Should().Contain(damaged).And.Contain("udc archive repair index").And.Contain("Nothing was forgotten");
        Directory.GetFiles(Path.Join(_repo.RepositoryPath, "snapshots")).Order().Should().Equal(snapshots, "forget must not drop snapshots when the prune it was asked for refuses");
    }

    [Fact]
    public async Task Verify_on_a_read_only_mount_checks_without_a_lock_and_says_so()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(100_000, 1));
        await _repo.BackupAsync();

        // The repository is bind-mounted read-only over itself in a private mount namespace, which
        // ends with the process: nothing to unmount afterwards.
        var info = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--mount", "--propagation", "private", "sh", "-c", "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && exec dotnet \"$2\" archive verify --repo \"$1\"", "sh", _repo.RepositoryPath, UdcProcess.CliDll])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["UDC_ARCHIVE_PASSWORD"] = TestRepository.Password;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        process.ExitCode.Should().Be(0, await output + await error);
        (await output).Should().Contain("note: the repository is on a read-only file system").And.Contain("without a lock").And.Contain("no errors found");
        Directory.GetFiles(Path.Join(_repo.RepositoryPath, "locks")).Should().BeEmpty();
    }

    [Fact]
    public async Task Verify_that_cannot_make_its_lock_for_another_reason_fails_with_exit_1_saying_so()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(100_000, 1));
        await _repo.BackupAsync();
        var locks = Path.Join(_repo.RepositoryPath, "locks");
        Directory.Delete(locks);
        await File.WriteAllTextAsync(locks, "not a folder");

        var verify = await Udc("archive", "verify");

        verify.ExitCode.Should().Be(1, verify.Output + verify.Error);
        verify.Error.Should().Contain("The repository cannot be locked").And.Contain(locks);
    }

    /// <summary>Backs up a.bin, then b.bin, and damages the first backup's index file (the only one listing a.bin's pack); returns its name.</summary>
    private async Task<string> TwoBackupsWithTheFirstIndexFileDamaged(bool truncate)
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.bin"), SourceTree.Random(300_000, 1));
        await _repo.BackupAsync();
        var index = Directory.GetFiles(Path.Join(_repo.RepositoryPath, "index")).Single();
        _firstPacks.AddRange(Directory.GetFiles(Path.Join(_repo.RepositoryPath, "data"), "*", SearchOption.AllDirectories));
        SourceTree.WriteFile(Path.Join(_repo.Source, "b.bin"), SourceTree.Random(300_000, 2));
        await _repo.BackupAsync();
        var bytes = File.ReadAllBytes(index);
        if (truncate)
        {
            bytes = bytes[..(bytes.Length / 2)];
        }
        else
        {
            bytes[bytes.Length / 2] ^= 0x5a;
        }

        File.WriteAllBytes(index, bytes);
        return Path.GetFileName(index);
    }

    private Snapshots.Snapshot LatestSnapshot()
    {
        using var repository = _repo.Open();
        return repository.FindSnapshot("latest");
    }

    private Task<(int ExitCode, string Output, string Error)> Udc(params string[] args) =>
        UdcProcess.RunAsync(TestRepository.Password, [.. args, "--repo", _repo.RepositoryPath]);
}
