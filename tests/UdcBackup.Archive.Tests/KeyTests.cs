using System.Text.Json;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Archive.Tests;

/// <summary>Several passwords open one repository; the last or current one cannot be removed; a wrong password changes nothing.</summary>
public sealed class KeyTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Added_passwords_open_the_same_data_and_removing_the_last_or_current_key_is_refused()
    {
        SourceTree.WriteFile(Path.Join(_repo.Source, "a.txt"), SourceTree.Text(5000, 1));
        var snapshot = await _repo.BackupAsync();
        string second;
        using (var repository = _repo.Open())
        {
            second = repository.Keys.Add("second password", iterations: 1000);
            var remove = () => repository.Keys.Remove(repository.CurrentKeyId[..10]);
            remove.Should().Throw<ArchiveException>().WithMessage("*opens*");
        }

        using (var viaSecond = ArchiveRepository.Open(_repo.RepositoryPath, "second password"))
        {
            viaSecond.CurrentKeyId.Should().Be(second);
            viaSecond.Keys.List().Should().HaveCount(2).And.ContainSingle(k => k.Current && k.Id == second);
            viaSecond.FindSnapshot(snapshot.Id.ToString()).Id.Should().Be(snapshot.Id, "both passwords unwrap the same master key");
            viaSecond.Keys.Remove(viaSecond.Keys.List().Single(k => !k.Current).Id[..8]);
        }

        var original = () => ArchiveRepository.Open(_repo.RepositoryPath, TestRepository.Password);
        original.Should().Throw<ArchiveException>().Which.Code.Should().Be(ArchiveErrorCode.WrongPassword);
        using (var viaSecond = ArchiveRepository.Open(_repo.RepositoryPath, "second password"))
        {
            var removeLast = () => viaSecond.Keys.Remove(second);
            removeLast.Should().Throw<ArchiveException>().WithMessage("*last key*");
            var changed = viaSecond.Keys.ChangePassword("third password");
            viaSecond.Keys.List().Should().ContainSingle().Which.Id.Should().Be(changed);
        }

        using var viaThird = ArchiveRepository.Open(_repo.RepositoryPath, "third password");
        viaThird.ListSnapshots().Should().ContainSingle();
    }

    [Fact]
    public async Task Cli_key_commands_list_add_remove_and_change_and_a_wrong_password_modifies_nothing()
    {
        var repo = _repo.RepositoryPath;
        var newPassword = Path.Join(_repo.Root, "new-password");
        await File.WriteAllTextAsync(newPassword, "added password\n");

        var added = await UdcProcess.RunAsync(TestRepository.Password, "archive", "key", "add", "--repo", repo, "--new-password-file", newPassword);
        added.ExitCode.Should().Be(0, added.Error);
        var listed = await UdcProcess.RunAsync("added password", "archive", "key", "list", "--repo", repo, "--json");
        listed.ExitCode.Should().Be(0, listed.Error);
        var keys = JsonDocument.Parse(listed.Output).RootElement.EnumerateArray().ToList();
        keys.Should().HaveCount(2);
        keys.Count(k => k.GetProperty("current").GetBoolean()).Should().Be(1);

        var before = Directory.GetFiles(Path.Join(repo, "keys")).Order().ToList();
        var wrong = await UdcProcess.RunAsync("not the password", "archive", "key", "passwd", "--repo", repo, "--new-password-file", newPassword);
        wrong.ExitCode.Should().Be(2, "a wrong password is refused input: " + wrong.Error);
        wrong.Error.Should().Contain("Wrong password");
        Directory.GetFiles(Path.Join(repo, "keys")).Order().Should().Equal(before, "a wrong password changes nothing");

        var other = keys.Single(k => !k.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
        var removed = await UdcProcess.RunAsync("added password", "archive", "key", "remove", other[..8], "--repo", repo);
        removed.ExitCode.Should().Be(0, removed.Error);
        var last = await UdcProcess.RunAsync("added password", "archive", "key", "remove", Path.GetFileName(Directory.GetFiles(Path.Join(repo, "keys")).Single())[..8], "--repo", repo);
        last.ExitCode.Should().Be(2);
        last.Error.Should().Contain("last key");

        await File.WriteAllTextAsync(newPassword, "changed password\n");
        var passwd = await UdcProcess.RunAsync("added password", "archive", "key", "passwd", "--repo", repo, "--new-password-file", newPassword);
        passwd.ExitCode.Should().Be(0, passwd.Error);
        (await UdcProcess.RunAsync("added password", "archive", "snapshots", "--repo", repo)).ExitCode.Should().Be(2, "the old password no longer opens it");
        (await UdcProcess.RunAsync("changed password", "archive", "snapshots", "--repo", repo)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Cli_key_changes_answer_with_json_naming_the_keys_for_scripts()
    {
        var repo = _repo.RepositoryPath;
        var newPassword = Path.Join(_repo.Root, "new-password");
        await File.WriteAllTextAsync(newPassword, "added password\n");

        var added = await UdcProcess.RunAsync(TestRepository.Password, "archive", "key", "add", "--repo", repo, "--new-password-file", newPassword, "--json");
        added.ExitCode.Should().Be(0, added.Error);
        var addedId = JsonDocument.Parse(added.Output).RootElement.GetProperty("id").GetString()!;
        File.Exists(Path.Join(repo, "keys", addedId)).Should().BeTrue(added.Output);

        await File.WriteAllTextAsync(newPassword, "changed password\n");
        var passwd = await UdcProcess.RunAsync("added password", "archive", "key", "passwd", "--repo", repo, "--new-password-file", newPassword, "--json");
        passwd.ExitCode.Should().Be(0, passwd.Error);
        var changed = JsonDocument.Parse(passwd.Output).RootElement;
        changed.GetProperty("replaced").GetString().Should().Be(addedId);
        var changedId = changed.GetProperty("id").GetString()!;

        var removed = await UdcProcess.RunAsync("changed password", "archive", "key", "remove", Other(repo, changedId)[..8], "--repo", repo, "--json");
        removed.ExitCode.Should().Be(0, removed.Error);
        JsonDocument.Parse(removed.Output).RootElement.GetProperty("removed").GetString().Should().NotBeNullOrEmpty();
        Directory.GetFiles(Path.Join(repo, "keys")).Select(Path.GetFileName).Should().Equal(changedId);
    }

    private static string Other(string repo, string id) =>
        Directory.GetFiles(Path.Join(repo, "keys")).Select(f => Path.GetFileName(f)!).Single(k => k != id);
}
