using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;

namespace UdcBackup.Agents.Tests.Disk;

/// <summary>The controller orders a disk agent to back up to and restore from a media agent (all on loopback).</summary>
public sealed class TransferJobTests : IAsyncLifetime
{
    private LoopbackAgents _agents = null!;

    public async Task InitializeAsync()
    {
        // data/db is also a restore root: restores into original paths (target '/') land there.
        _agents = await LoopbackAgents.StartAsync(extraRestoreRoots: [Path.Combine("data", "db")]);
        File.WriteAllBytes(_agents.Temp.Combine("data", "db", "table.bin"), RandomNumberGenerator.GetBytes(1_500_000));
        File.WriteAllText(_agents.Temp.Combine("data", "db", "wal.log"), "log records");
    }

    public async Task DisposeAsync() => await _agents.DisposeAsync();

    [Fact]
    public async Task The_controller_has_the_disk_agent_back_up_and_restore_through_the_media_agent()
    {
        using var backup = await Post("/v1/jobs/backup", Job(Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Temp.Combine("data", "db")] });
        backup.StatusCode.Should().Be(HttpStatusCode.OK, await backup.Content.ReadAsStringAsync());
        var outcome = await backup.Content.ReadFromJsonAsync<BackupOutcome>(JsonSerializerOptions.Web);
        outcome!.Snapshot.System.Should().Be("sys-a");

        var target = _agents.Temp.Combine("restore", "job-1");
        using var restore = await Post("/v1/jobs/restore", Job(Token("sys-a", JobDirection.Restore, outcome.Snapshot.Id)) with { Target = target });
        restore.StatusCode.Should().Be(HttpStatusCode.OK, await restore.Content.ReadAsStringAsync());
        var copy = Directory.EnumerateFiles(target, "table.bin", SearchOption.AllDirectories).Single();
        File.ReadAllBytes(copy).Should().Equal(File.ReadAllBytes(_agents.Temp.Combine("data", "db", "table.bin")));

        new AuditLog(_agents.Temp.Combine("disk-audit.jsonl")).ReadAll().Select(e => (e.Action, e.Decision))
            .Should().Equal(("job.backup", AuditDecision.Accepted), ("job.restore", AuditDecision.Accepted));
    }

    [Fact]
    public async Task Paths_outside_the_configured_data_and_restore_roots_are_refused()
    {
        using var backup = await Post("/v1/jobs/backup", Job(Token("sys-a", JobDirection.Backup)) with { Paths = ["/etc"] });
        backup.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await backup.Content.ReadAsStringAsync()).Should().Contain("not inside the configured data paths");

        using var restore = await Post("/v1/jobs/restore", Job(Token("sys-a", JobDirection.Restore, "x")) with { Target = _agents.Temp.Combine("restore", "..", "data") });
        restore.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_data_path_that_does_not_exist_is_refused_by_name_and_nothing_is_sent()
    {
        var missing = _agents.Temp.Combine("data", "gone");
        using var backup = await Post("/v1/jobs/backup", Job(Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Temp.Combine("data", "db"), missing] });

        backup.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await backup.Content.ReadAsStringAsync()).Should().Contain(missing).And.Contain("does not exist");
        new AuditLog(_agents.Temp.Combine("disk-audit.jsonl")).ReadAll().Select(e => (e.Action, e.Decision))
            .Should().Equal(("job.backup", AuditDecision.Refused));
        new AuditLog(_agents.Temp.Combine("media-audit.jsonl")).ReadAll().Should().BeEmpty("the media agent was never contacted");
    }

    [Fact]
    public async Task A_restore_to_the_original_places_is_accepted_when_every_include_lies_in_a_restore_root()
    {
        using var backup = await Post("/v1/jobs/backup", Job(Token("sys-a", JobDirection.Backup)) with { Paths = [_agents.Temp.Combine("data", "db")] });
        backup.StatusCode.Should().Be(HttpStatusCode.OK, await backup.Content.ReadAsStringAsync());
        var snapshot = (await backup.Content.ReadFromJsonAsync<BackupOutcome>(JsonSerializerOptions.Web))!.Snapshot.Id;
        var original = File.ReadAllBytes(_agents.Temp.Combine("data", "db", "table.bin"));
        File.Delete(_agents.Temp.Combine("data", "db", "table.bin"));

        using var restore = await Post("/v1/jobs/restore", Job(Token("sys-a", JobDirection.Restore, snapshot)) with { Target = "/", Includes = [_agents.Temp.Combine("data", "db")] });

        restore.StatusCode.Should().Be(HttpStatusCode.OK, await restore.Content.ReadAsStringAsync());
        File.ReadAllBytes(_agents.Temp.Combine("data", "db", "table.bin")).Should().Equal(original);
        new AuditLog(_agents.Temp.Combine("disk-audit.jsonl")).ReadAll().Select(e => (e.Action, e.Decision))
            .Should().Equal(("job.backup", AuditDecision.Accepted), ("job.restore", AuditDecision.Accepted));
    }

    [Fact]
    public async Task A_restore_to_the_root_is_refused_when_any_include_leaves_the_restore_roots()
    {
        string[][] unsafeIncludes =
        [
            [],
            [_agents.Temp.Combine("data", "db"), "/etc"],
            [_agents.Temp.Combine("data")],
            [_agents.Temp.Combine("data", "db", "..", "..", "ca")],
            [_agents.Temp.Combine("data", "db") + "/*"],
            [" " + _agents.Temp.Combine("data", "db")],
        ];
        foreach (var includes in unsafeIncludes)
        {
            using var restore = await Post("/v1/jobs/restore", Job(Token("sys-a", JobDirection.Restore, "x")) with { Target = "/", Includes = includes });
            restore.StatusCode.Should().Be(HttpStatusCode.BadRequest, string.Join(", ", includes));
            (await restore.Content.ReadAsStringAsync()).Should().Contain("not inside the configured restore roots");
        }

        new AuditLog(_agents.Temp.Combine("disk-audit.jsonl")).ReadAll().Should().HaveCount(unsafeIncludes.Length)
            .And.OnlyContain(e => e.Action == "job.restore" && e.Decision == AuditDecision.Refused);
    }

    [Fact]
    public async Task The_restore_check_accepts_what_a_restore_would_and_refuses_the_rest_with_its_reason_writing_nothing()
    {
        var db = _agents.Temp.Combine("data", "db");
        var into = _agents.Temp.Combine("restore", "from-other");
        using var inside = await Post("/v1/jobs/restore/check", Job("unused") with { Target = into, Includes = [db] });
        inside.StatusCode.Should().Be(HttpStatusCode.OK, await inside.Content.ReadAsStringAsync());
        using var original = await Post("/v1/jobs/restore/check", Job("unused") with { Target = "/", Includes = [db], ReplaceRoots = [db] });
        original.StatusCode.Should().Be(HttpStatusCode.OK, await original.Content.ReadAsStringAsync());

        using var outside = await Post("/v1/jobs/restore/check", Job("unused") with { Target = "/", Includes = [_agents.Temp.Combine("data")] });
        outside.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await outside.Content.ReadAsStringAsync()).Should().Contain("restore target '/' is not inside the configured restore roots")
            .And.Contain($"'{_agents.Temp.Combine("data")}' would be written at", "the refusal names the restored path that is outside")
            .And.Contain("roots: ", "and the roots it would have to lie in");
        using var replace = await Post("/v1/jobs/restore/check", Job("unused") with { Target = into, Includes = [db], ReplaceRoots = [db] });
        replace.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await replace.Content.ReadAsStringAsync()).Should().Contain($"replace root '{db}' is not one of the restored paths");

        Directory.Exists(into).Should().BeFalse("a check writes nothing");
        new AuditLog(_agents.Temp.Combine("disk-audit.jsonl")).ReadAll().Select(e => (e.Action, e.Decision)).Should().Equal(
            ("job.restore-check", AuditDecision.Accepted), ("job.restore-check", AuditDecision.Accepted), ("job.restore-check", AuditDecision.Refused), ("job.restore-check", AuditDecision.Refused));
        new AuditLog(_agents.Temp.Combine("media-audit.jsonl")).ReadAll().Should().BeEmpty("the media agent was never contacted");
    }

    [Fact]
    public async Task Only_the_controller_may_check_a_restore_and_a_refused_caller_is_audited()
    {
        using var otherDisk = _agents.Ca.IssueWithNewKey(new SystemIdentity("web-1", AgentRole.Disk));
        using var http = new HttpClient(MutualTls.CreateClientHandler(otherDisk, _agents.Ca.Certificate, "sys-a", AgentRole.Disk))
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var check = await http.PostAsJsonAsync(new Uri(_agents.Disk.Address, "/v1/jobs/restore/check"), Job("unused") with { Target = _agents.Restore });

        check.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        new AuditLog(_agents.Temp.Combine("disk-audit.jsonl")).ReadAll().Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new { Actor = "disk:web-1", Action = "job.restore-check", Decision = AuditDecision.Refused });
    }

    [Fact]
    public async Task A_media_agent_refusal_is_passed_back_and_audited()
    {
        using var backup = await Post("/v1/jobs/backup", Job(Token("sys-b", JobDirection.Backup)) with { Paths = [_agents.Temp.Combine("data")] });
        backup.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await backup.Content.ReadAsStringAsync()).Should().Contain("WrongSystem");
        new AuditLog(_agents.Temp.Combine("disk-audit.jsonl")).ReadAll().Should().ContainSingle().Which.Decision.Should().Be(AuditDecision.Refused);
    }

    [Fact]
    public async Task A_replace_restore_removes_what_the_snapshot_does_not_hold_below_the_root_and_nothing_else()
    {
        var db = _agents.Temp.Combine("data", "db");
        using var backup = await Post("/v1/jobs/backup", Job(Token("sys-a", JobDirection.Backup)) with { Paths = [db] });
        backup.StatusCode.Should().Be(HttpStatusCode.OK, await backup.Content.ReadAsStringAsync());
        var snapshot = (await backup.Content.ReadFromJsonAsync<BackupOutcome>(JsonSerializerOptions.Web))!.Snapshot.Id;
        var original = File.ReadAllBytes(Path.Combine(db, "table.bin"));

        // After the backup: a changed file, a new file, a new folder, and a link to a file outside the root.
        File.WriteAllText(Path.Combine(db, "table.bin"), "changed");
        File.WriteAllText(Path.Combine(db, "000000010000000000000009"), "newer WAL");
        Directory.CreateDirectory(Path.Combine(db, "pg_wal", "archive_status"));
        File.WriteAllText(Path.Combine(db, "pg_wal", "archive_status", "x.done"), string.Empty);
        var outside = _agents.Temp.Combine("outside.txt");
        File.WriteAllText(outside, "not the agent's to remove");
        File.CreateSymbolicLink(Path.Combine(db, "link-out"), outside);

        using var restore = await Post("/v1/jobs/restore", Job(Token("sys-a", JobDirection.Restore, snapshot)) with { Target = "/", Includes = [db], ReplaceRoots = [db] });

        restore.StatusCode.Should().Be(HttpStatusCode.OK, await restore.Content.ReadAsStringAsync());
        Directory.EnumerateFileSystemEntries(db, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Should().BeEquivalentTo(["table.bin", "wal.log"]);
        File.ReadAllBytes(Path.Combine(db, "table.bin")).Should().Equal(original);
        File.ReadAllText(outside).Should().Be("not the agent's to remove");
        new AuditLog(_agents.Temp.Combine("disk-audit.jsonl")).ReadAll()[^1].Reason.Should().Contain("3 entries not in the snapshot removed");
    }

    [Fact]
    public async Task A_replace_root_that_is_not_a_restored_path_is_refused_and_nothing_is_touched()
    {
        var db = _agents.Temp.Combine("data", "db");
        File.WriteAllText(Path.Combine(db, "extra"), "stays");
        foreach (var root in new[] { _agents.Temp.Combine("data"), "/", _agents.Temp.Combine("restore") })
        {
            using var restore = await Post("/v1/jobs/restore", Job(Token("sys-a", JobDirection.Restore, "x")) with { Target = "/", Includes = [db], ReplaceRoots = [root] });
            restore.StatusCode.Should().Be(HttpStatusCode.BadRequest, root);
            (await restore.Content.ReadAsStringAsync()).Should().Contain("replace root");
        }

        File.ReadAllText(Path.Combine(db, "extra")).Should().Be("stays");
    }

    [Fact]
    public void A_root_the_snapshot_holds_nothing_of_is_left_alone()
    {
        var db = _agents.Temp.Combine("data", "db");
        RestoreReplacer.Prune(db, new HashSet<string> { _agents.Temp.Combine("data", "other", "file") }).Should().BeNull();
        Directory.EnumerateFiles(db).Should().HaveCount(2);
        RestoreReplacer.Prune(db, new HashSet<string> { db, Path.Combine(db, "wal.log") }).Should().Be(1);
        Directory.EnumerateFiles(db).Select(Path.GetFileName).Should().Equal("wal.log");
    }

    private TransferJobRequest Job(string token) => _agents.Job(token);

    private Task<HttpResponseMessage> Post(string path, TransferJobRequest request) =>
        _agents.Controller.PostAsJsonAsync(new Uri(_agents.Disk.Address, path), request);

    private string Token(string system, JobDirection direction, string? snapshot = null) => _agents.Token(system, direction, snapshot);
}
