using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Archive.Verify;

namespace UdcBackup.Archive.Tests;

/// <summary>The <c>udc archive</c> commands as operators and scripts use them: exit codes, JSON, crash safety.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Killing_a_backup_half_way_leaves_a_clean_repository_and_the_next_backup_reuses_its_uploads()
    {
        const int files = 32;
        const int fileSize = 16 << 20;
        for (var i = 0; i < files; i++)
        {
            SourceTree.WriteFile(Path.Join(_repo.Source, $"part-{i:00}.bin"), SourceTree.Random(fileSize, i));
        }

        // 512 MiB in 32 packs, stopped once two are in place: the other 30 take at least as many
        // pack fsyncs, so the stop lands half-way however fast the backup runs (192 MiB stopped at
        // the third pack came too late once backups stored blobs on their readers: the backup had
        // finished between two polls). Niced, a loaded machine (CI runs test projects side by side)
        // gives this test's polling the CPU before it. It is stopped before the kill, so what the
        // test sees is what the kill leaves.
        using (var first = UdcProcess.StartNiced(TestRepository.Password, "archive", "backup", "--repo", _repo.RepositoryPath, _repo.Source))
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (PackFiles().Count < 2)
            {
                first.HasExited.Should().BeFalse("the backup must still run when it is killed (stderr: {0})", first.HasExited ? await first.StandardError.ReadToEndAsync() : "");
                DateTime.UtcNow.Should().BeBefore(deadline, "the backup writes packs");
                await Task.Delay(5);
            }

            using (var stop = Process.Start("kill", ["-STOP", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await stop.WaitForExitAsync();
            }

            first.HasExited.Should().BeFalse("the backup must be stopped half-way, not after it finished");
            first.Kill(entireProcessTree: true); // SIGKILL: no cleanup code runs
            await first.WaitForExitAsync();
        }

        var uploaded = PackFiles().Sum(f => new FileInfo(f).Length);
        using (var repository = _repo.Open())
        {
            repository.ListSnapshots().Should().BeEmpty("the manifest is written last");
            var report = new Verifier(repository).Run(readData: true, CancellationToken.None);
            report.IsClean.Should().BeTrue(string.Join("; ", report.Errors));
        }

        var (code, output, error) = await UdcProcess.RunAsync(TestRepository.Password, "archive", "backup", "--repo", _repo.RepositoryPath, _repo.Source, "--json");

        code.Should().Be(0, error);
        var summary = JsonDocument.Parse(output).RootElement.GetProperty("summary");
        var newBytes = summary.GetProperty("newBytes").GetInt64();
        var total = (long)files * fileSize;
        newBytes.Should().BeLessThan(total - (uploaded / 2), $"the {uploaded} bytes uploaded before the kill are reused");
        summary.GetProperty("storedBytes").GetInt64().Should().BeLessThan(total);
        (await UdcProcess.RunAsync(TestRepository.Password, "archive", "verify", "--repo", _repo.RepositoryPath, "--read-data")).ExitCode.Should().Be(0);
        var target = Path.Join(_repo.Root, "after-crash");
        (await UdcProcess.RunAsync(TestRepository.Password, "archive", "restore", "latest", "--repo", _repo.RepositoryPath, "--target", target)).ExitCode.Should().Be(0);
        TreeComparer.AssertIdentical(_repo.Source, _repo.RestoredSource(target));
    }

    [Fact]
    public async Task A_restore_onto_a_tree_that_already_holds_the_snapshot_says_what_was_already_correct()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.txt"), SourceTree.Text(2_000, 1));
        SourceTree.WriteFile(Path.Join(_repo.Source, "sub", "b.txt"), SourceTree.Text(3_000, 2));
        await _repo.BackupAsync();
        var target = Path.Join(_repo.Root, "again");
        (await UdcProcess.RunAsync(TestRepository.Password, "archive", "restore", "latest", "--repo", _repo.RepositoryPath, "--target", target)).ExitCode.Should().Be(0);

        var (code, output, error) = await UdcProcess.RunAsync(TestRepository.Password, "archive", "restore", "latest", "--repo", _repo.RepositoryPath, "--target", target);
        var json = await UdcProcess.RunAsync(TestRepository.Password, "archive", "restore", "latest", "--repo", _repo.RepositoryPath, "--target", target, "--json");

        code.Should().Be(0, error);
        output.Should().Contain("restored 0 files").And.Contain("(0 B written)").And.Contain("; 2 files (4.9 KiB) already correct");
        var answer = JsonDocument.Parse(json.Output).RootElement;
        answer.GetProperty("filesAlreadyCorrect").GetInt64().Should().Be(2);
        answer.GetProperty("bytesAlreadyCorrect").GetInt64().Should().Be(5_000);
    }

    /// <summary>
    /// A wrong password or a --repo that is not a repository is the operator's input, refused with
    /// nothing changed: exit 2, as the README's exit codes say, one line naming what is wrong. A
    /// damaged repository is a failure of the operation: exit 1.
    /// </summary>
    [Fact]
    public async Task Wrong_password_and_foreign_folders_are_bad_input_and_modify_nothing()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a"), [1, 2, 3]);
        await _repo.BackupAsync();
        var before = Fingerprint(_repo.RepositoryPath);

        var wrong = await UdcProcess.RunAsync("not the password", "archive", "backup", "--repo", _repo.RepositoryPath, _repo.Source);
        var foreign = await UdcProcess.RunAsync(TestRepository.Password, "archive", "snapshots", "--repo", _repo.Source);
        var missing = await UdcProcess.RunAsync(TestRepository.Password, "archive", "snapshots", "--repo", Path.Join(_repo.Root, "nope"));
        var noPassword = await UdcProcess.RunAsync("", "archive", "snapshots", "--repo", _repo.RepositoryPath);
        var unknown = await UdcProcess.RunAsync(TestRepository.Password, "archive", "ls", "--repo", _repo.RepositoryPath, "ffffffff");

        wrong.ExitCode.Should().Be(2, wrong.Error);
        wrong.Error.Should().Contain("Wrong password");
        foreign.ExitCode.Should().Be(2, foreign.Error);
        foreign.Error.Should().Contain("not an archive repository");
        missing.ExitCode.Should().Be(2, missing.Error);
        missing.Error.Should().Contain("does not exist");
        noPassword.ExitCode.Should().Be(2);
        noPassword.Error.Should().Contain("UDC_ARCHIVE_PASSWORD");
        unknown.ExitCode.Should().Be(2);
        foreach (var refused in new[] { wrong, foreign, missing, noPassword, unknown })
        {
            refused.Error.TrimEnd().Split('\n').Should().ContainSingle("one clear line: {0}", refused.Error);
        }

        Fingerprint(_repo.RepositoryPath).Should().Be(before);
    }

    [Fact]
    public async Task A_damaged_pack_fails_the_restore_and_the_read_check_with_exit_1()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a"), SourceTree.Random(100_000, 1));
        await _repo.BackupAsync();
        var pack = PackFiles().Single();
        await using (var file = File.OpenWrite(pack))
        {
            file.Position = 100;
            await file.WriteAsync("damage"u8.ToArray());
        }

        var restore = await UdcProcess.RunAsync(TestRepository.Password, "archive", "restore", "latest", "--repo", _repo.RepositoryPath, "--target", Path.Join(_repo.Root, "restored"));
        var verify = await UdcProcess.RunAsync(TestRepository.Password, "archive", "verify", "--repo", _repo.RepositoryPath, "--read-data");

        restore.ExitCode.Should().Be(1, restore.Error);
        restore.Error.Should().Contain("damaged");
        verify.ExitCode.Should().Be(1, verify.Error);
        verify.Error.Should().Contain("damaged");
    }

    [Fact]
    public async Task A_repository_whose_config_or_keys_are_damaged_fails_with_exit_1_not_as_a_wrong_folder()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a"), [1, 2, 3]);
        await _repo.BackupAsync();
        var other = new TestRepository();
        try
        {
            await File.WriteAllTextAsync(Path.Join(_repo.RepositoryPath, "config"), "not json");
            foreach (var key in Directory.GetFiles(Path.Join(other.RepositoryPath, "keys")))
            {
                File.Delete(key);
            }

            var config = await UdcProcess.RunAsync(TestRepository.Password, "archive", "snapshots", "--repo", _repo.RepositoryPath);
            var keys = await UdcProcess.RunAsync(TestRepository.Password, "archive", "snapshots", "--repo", other.RepositoryPath);

            config.ExitCode.Should().Be(1, config.Error);
            config.Error.Should().Contain("config").And.Contain("damaged");
            keys.ExitCode.Should().Be(1, keys.Error);
            keys.Error.Should().Contain("no key files");
        }
        finally
        {
            other.Dispose();
        }
    }

    [Fact]
    public async Task A_damaged_snapshot_file_is_left_out_of_listings_and_latest_with_a_warning_and_verify_reports_it()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a"), SourceTree.Random(10_000, 1));
        await _repo.BackupAsync();
        SourceTree.WriteFile(Path.Join(_repo.Source, "b"), SourceTree.Random(10_000, 2));
        await _repo.BackupAsync();
        string readable, damaged;
        using (var repository = _repo.Open())
        {
            var listed = repository.ListSnapshots();
            listed.Should().HaveCount(2);
            (readable, damaged) = (listed[0].Id.ToString(), listed[^1].Id.ToString());
        }

        var file = Path.Join(_repo.RepositoryPath, "snapshots", damaged);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x5a;
        await File.WriteAllBytesAsync(file, bytes);

        var text = await UdcProcess.RunAsync(TestRepository.Password, "archive", "snapshots", "--repo", _repo.RepositoryPath);
        var json = await UdcProcess.RunAsync(TestRepository.Password, "archive", "snapshots", "--repo", _repo.RepositoryPath, "--json");
        var latest = await UdcProcess.RunAsync(TestRepository.Password, "archive", "ls", "latest", "--repo", _repo.RepositoryPath, "--json");
        var named = await UdcProcess.RunAsync(TestRepository.Password, "archive", "ls", damaged[..8], "--repo", _repo.RepositoryPath);
        var restore = await UdcProcess.RunAsync(TestRepository.Password, "archive", "restore", damaged, "--repo", _repo.RepositoryPath, "--target", Path.Join(_repo.Root, "restored"));
        var verify = await UdcProcess.RunAsync(TestRepository.Password, "archive", "verify", "--repo", _repo.RepositoryPath);

        text.ExitCode.Should().Be(0, text.Error);
        text.Output.Should().Contain(readable[..8]).And.Contain("1 snapshot(s)").And.NotContain(damaged[..8]);
        text.Error.Should().Contain(damaged).And.Contain("udc archive verify");
        json.ExitCode.Should().Be(0, json.Error);
        JsonDocument.Parse(json.Output).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString())
            .Should().Equal([readable], "stdout stays the JSON list of the readable snapshots");
        json.Error.Should().Contain(damaged);
        latest.ExitCode.Should().Be(0, latest.Error);
        JsonDocument.Parse(latest.Output).RootElement.EnumerateArray().Select(e => e.GetProperty("path").GetString())
            .Should().Contain(p => p!.EndsWith("/a", StringComparison.Ordinal)).And.NotContain(p => p!.EndsWith("/b", StringComparison.Ordinal));
        latest.Error.Should().Contain(damaged).And.Contain("udc archive verify");
        named.ExitCode.Should().Be(1, named.Error);
        named.Error.Should().Contain(damaged).And.Contain("cannot be read");
        restore.ExitCode.Should().Be(1, restore.Error);
        restore.Error.Should().Contain(damaged).And.Contain("cannot be read");
        Directory.Exists(Path.Join(_repo.Root, "restored")).Should().BeFalse("nothing is written for a snapshot that cannot be read");
        verify.ExitCode.Should().Be(1, verify.Error);
        (verify.Output + verify.Error).Should().Contain(damaged);
    }

    [Fact]
    public async Task A_backup_after_a_snapshot_file_was_damaged_completes_and_says_it_left_that_snapshot_out_as_parent()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a"), SourceTree.Random(10_000, 1));
        await _repo.BackupAsync();
        string damaged;
        using (var repository = _repo.Open())
        {
            damaged = repository.ListSnapshots().Single().Id.ToString();
        }

        var file = Path.Join(_repo.RepositoryPath, "snapshots", damaged);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x5a;
        await File.WriteAllBytesAsync(file, bytes);

        var backup = await UdcProcess.RunAsync(TestRepository.Password, "archive", "backup", "--repo", _repo.RepositoryPath, _repo.Source);

        backup.ExitCode.Should().Be(0, backup.Output + backup.Error);
        (backup.Output + backup.Error).Should().Contain(damaged).And.Contain("not considered as this backup's parent").And.Contain("udc archive verify");
        using var reopened = _repo.Open();
        var listed = reopened.ListSnapshots(damaged: new List<UdcBackup.Archive.Snapshots.DamagedSnapshot>());
        listed.Should().ContainSingle("the new snapshot was written; the damaged one stays for verify to report").Which.Id.ToString().Should().NotBe(damaged);
    }

    [Fact]
    public async Task A_restore_of_damaged_data_with_json_leaves_the_problem_line_naming_the_files()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a"), SourceTree.Random(100_000, 1));
        await _repo.BackupAsync();
        // The middle of the pack: inside a's 100 kB of data whatever the order of its blobs; near the
        // start the small tree blob is sometimes first, and damaging it names no file.
        await using (var file = File.OpenWrite(PackFiles().Single()))
        {
            file.Position = file.Length / 2;
            await file.WriteAsync("damage"u8.ToArray());
        }

        var (code, output, error) = await UdcProcess.RunAsync(TestRepository.Password, "archive", "restore", "latest", "--repo", _repo.RepositoryPath, "--target", Path.Join(_repo.Root, "restored"), "--json");

        code.Should().Be(1, error);
        output.TrimEnd().Should().NotContain("\n", "one problem line, as every --json failure leaves");
        var problem = JsonDocument.Parse(output).RootElement;
        problem.GetProperty("type").GetString().Should().Be("urn:udc:cli:failed");
        problem.GetProperty("exitCode").GetInt32().Should().Be(1);
        problem.GetProperty("detail").GetString().Should().Contain("damaged");
        problem.GetProperty("damagedFiles").EnumerateArray().Select(f => f.GetString()).Should().ContainSingle(f => f!.Contains("source/a", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("system")]
    [InlineData("system:db-01")]
    public async Task A_snapshots_tag_filter_that_is_not_key_equals_value_is_refused_instead_of_listing_nothing(string filter)
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a"), [1, 2, 3]);
        await _repo.BackupAsync(tags: new Dictionary<string, string> { ["system"] = "db-01" });

        var (code, output, error) = await UdcProcess.RunAsync(TestRepository.Password, "archive", "snapshots", "--repo", _repo.RepositoryPath, "--tag", filter);
        var matching = await UdcProcess.RunAsync(TestRepository.Password, "archive", "snapshots", "--repo", _repo.RepositoryPath, "--tag", "system=db-01", "--json");

        code.Should().Be(2, output + error);
        error.Should().Contain(filter).And.Contain("KEY=VALUE");
        JsonDocument.Parse(matching.Output).RootElement.GetArrayLength().Should().Be(1, matching.Error);
    }

    [Theory]
    [InlineData("999")]
    [InlineData("0")]
    public async Task Init_with_too_few_key_derivation_iterations_is_refused_and_creates_nothing(string iterations)
    {
        var folder = Path.Join(_repo.Root, "weak");

        var (code, _, error) = await UdcProcess.RunAsync(TestRepository.Password, "archive", "init", "--repo", folder, "--kdf-iterations", iterations);

        code.Should().Be(2, error);
        error.Should().Contain("1000").And.NotContain("   at ", "no stack trace");
        Directory.Exists(folder).Should().BeFalse("nothing was created, so the folder takes an init with a valid count");
        (await UdcProcess.RunAsync(TestRepository.Password, "archive", "init", "--repo", folder, "--kdf-iterations", "1000")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Json_output_lists_snapshots_and_entries_for_scripts()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "line\nbreak"), [1]);
        var (code, output, _) = await UdcProcess.RunAsync(TestRepository.Password, "archive", "backup", "--repo", _repo.RepositoryPath, _repo.Source, "--tag", "system=db-01", "--json");
        code.Should().Be(0);
        var id = JsonDocument.Parse(output).RootElement.GetProperty("id").GetString()!;

        var snapshots = JsonDocument.Parse((await UdcProcess.RunAsync(TestRepository.Password, "archive", "snapshots", "--repo", _repo.RepositoryPath, "--json")).Output).RootElement;
        var ls = JsonDocument.Parse((await UdcProcess.RunAsync(TestRepository.Password, "archive", "ls", "--repo", _repo.RepositoryPath, id[..8], "--json")).Output).RootElement;

        snapshots.GetArrayLength().Should().Be(1);
        snapshots[0].GetProperty("tags").GetProperty("system").GetString().Should().Be("db-01");
        ls.EnumerateArray().Select(e => e.GetProperty("path").GetString()).Should().Contain(p => p!.EndsWith("line\nbreak", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_json_output_names_its_fields_in_camel_case_as_the_rest_of_the_cli_does()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.txt"), SourceTree.Text(2_000, 1));
        var repo = _repo.RepositoryPath;
        var target = Path.Join(_repo.Root, "restored");
        var fresh = Path.Join(_repo.Root, "fresh");
        string[][] commands =
        [
            ["archive", "init", "--repo", fresh, "--kdf-iterations", "1000"],
            ["archive", "backup", "--repo", repo, _repo.Source, "--tag", "Snake_Case_Tag=kept as given"],
            ["archive", "snapshots", "--repo", repo],
            ["archive", "ls", "--repo", repo, "latest"],
            ["archive", "restore", "latest", "--repo", repo, "--target", target],
            ["archive", "verify", "--repo", repo, "--read-data"],
            ["archive", "forget", "--repo", repo, "--keep-last", "1", "--prune"],
            ["archive", "key", "list", "--repo", repo],
        ];

        foreach (var command in commands)
        {
            var (code, output, error) = await UdcProcess.RunAsync(TestRepository.Password, [.. command, "--json"]);
            code.Should().Be(0, $"{string.Join(' ', command)}: {error}");
            using var document = JsonDocument.Parse(output);
            PropertyNames(document.RootElement).Should().OnlyContain(
                name => name.Length > 0 && char.IsLower(name[0]) && name.All(char.IsAsciiLetterOrDigit),
                $"'{string.Join(' ', command)} --json' names its fields in camelCase: {output}");
        }

        var snapshots = JsonDocument.Parse((await UdcProcess.RunAsync(TestRepository.Password, "archive", "snapshots", "--repo", repo, "--json")).Output).RootElement;
        snapshots[0].GetProperty("tags").GetProperty("Snake_Case_Tag").GetString().Should().Be("kept as given", "a tag's name is the operator's, not a field name");
        snapshots[0].GetProperty("summary").GetProperty("filesRead").GetInt64().Should().Be(1);
    }

    // Every property name in the document, except the names of tags (the operator's own keys).
    private static IEnumerable<string> PropertyNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "tags" ? [p.Name] : PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };

    private List<string> PackFiles() =>
        Directory.Exists(Path.Join(_repo.RepositoryPath, "data"))
            ? Directory.GetFiles(Path.Join(_repo.RepositoryPath, "data"), "*", SearchOption.AllDirectories).ToList()
            : [];

    /// <summary>Names, sizes and content hashes of every file except lock files (which come and go).</summary>
    private static string Fingerprint(string root) => string.Join('\n', Directory
        .GetFiles(root, "*", SearchOption.AllDirectories)
        .Where(f => !f.Contains("/locks/", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(f => $"{f} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));
}
