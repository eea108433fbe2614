using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Agents.Tests.Disk;

/// <summary>The controller orders a disk agent to back up to and restore from a media agent (all on loopback).</summary>
public sealed class TransferJobTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private CertificateAuthority _ca = null!;
    private MediaAgentHost _media = null!;
    private DiskAgentHost _disk = null!;
    private HttpClient _controller = null!;

    public async Task InitializeAsync()
    {
        _ca = CertificateAuthority.CreateOrOpen(_temp.Combine("ca"));
        Enroll("media-1", AgentRole.Media, "media");
        Enroll("sys-a", AgentRole.Disk, "disk");
        File.WriteAllText(_temp.Combine("repo-password"), "pw\n");
        ArchiveRepository.Init(_temp.Combine("repo"), "pw", kdfIterations: 1000).Dispose();
        _media = await MediaAgentHost.StartAsync(new MediaAgentOptions
        {
            ListenAddress = "127.0.0.1", Port = 0, CredentialsFolder = _temp.Combine("media"),
            RepositoryPath = _temp.Combine("repo"), RepositoryPasswordFile = _temp.Combine("repo-password"), AuditLogPath = _temp.Combine("media-audit.jsonl"),
        });
        Directory.CreateDirectory(_temp.Combine("scripts"));
        Directory.CreateDirectory(_temp.Combine("data", "db"));
        Directory.CreateDirectory(_temp.Combine("restore"));
        File.WriteAllBytes(_temp.Combine("data", "db", "table.bin"), RandomNumberGenerator.GetBytes(1_500_000));
        File.WriteAllText(_temp.Combine("data", "db", "wal.log"), "log records");
        _disk = await DiskAgentHost.StartAsync(new DiskAgentOptions
        {
            ListenAddress = "127.0.0.1", Port = 0, CredentialsFolder = _temp.Combine("disk"), ScriptFolder = _temp.Combine("scripts"),
            DataPaths = [_temp.Combine("data")], RestoreRoots = [_temp.Combine("restore"), _temp.Combine("data", "db")], AuditLogPath = _temp.Combine("disk-audit.jsonl"),
        });
        var controllerCert = _ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        _controller = new HttpClient(MutualTls.CreateClientHandler(controllerCert, _ca.Certificate, "sys-a", AgentRole.Disk))
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public async Task DisposeAsync()
    {
        _controller.Dispose();
        await _disk.DisposeAsync();
        await _media.DisposeAsync();
        _ca.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task The_controller_has_the_disk_agent_back_up_and_restore_through_the_media_agent()
    {
        using var backup = await Post("/v1/jobs/backup", Job(Token("sys-a", JobDirection.Backup)) with { Paths = [_temp.Combine("data", "db")] });
        backup.StatusCode.Should().Be(HttpStatusCode.OK, await backup.Content.ReadAsStringAsync());
        var outcome = await backup.Content.ReadFromJsonAsync<BackupOutcome>(JsonSerializerOptions.Web);
        outcome!.Snapshot.System.Should().Be("sys-a");

        var target = _temp.Combine("restore", "job-1");
        using var restore = await Post("/v1/jobs/restore", Job(Token("sys-a", JobDirection.Restore, outcome.Snapshot.Id)) with { Target = target });
        restore.StatusCode.Should().Be(HttpStatusCode.OK, await restore.Content.ReadAsStringAsync());
        var copy = Directory.EnumerateFiles(target, "table.bin", SearchOption.AllDirectories).Single();
        File.ReadAllBytes(copy).Should().Equal(File.ReadAllBytes(_temp.Combine("data", "db", "table.bin")));

        new AuditLog(_temp.Combine("disk-audit.jsonl")).ReadAll().Select(e => (e.Action, e.Decision))
            .Should().Equal(("job.backup", AuditDecision.Accepted), ("job.restore", AuditDecision.Accepted));
    }

    [Fact]
    public async Task Paths_outside_the_configured_data_and_restore_roots_are_refused()
    {
        using var backup = await Post("/v1/jobs/backup", Job(Token("sys-a", JobDirection.Backup)) with { Paths = ["/etc"] });
        backup.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await backup.Content.ReadAsStringAsync()).Should().Contain("not inside the configured data paths");

        using var restore = await Post("/v1/jobs/restore", Job(Token("sys-a", JobDirection.Restore, "x")) with { Target = _temp.Combine("restore", "..", "data") });
        restore.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_restore_to_the_original_places_is_accepted_when_every_include_lies_in_a_restore_root()
    {
        using var backup = await Post("/v1/jobs/backup", Job(Token("sys-a", JobDirection.Backup)) with { Paths = [_temp.Combine("data", "db")] });
        backup.StatusCode.Should().Be(HttpStatusCode.OK, await backup.Content.ReadAsStringAsync());
        var snapshot = (await backup.Content.ReadFromJsonAsync<BackupOutcome>(JsonSerializerOptions.Web))!.Snapshot.Id;
        var original = File.ReadAllBytes(_temp.Combine("data", "db", "table.bin"));
        File.Delete(_temp.Combine("data", "db", "table.bin"));

        using var restore = await Post("/v1/jobs/restore", Job(Token("sys-a", JobDirection.Restore, snapshot)) with { Target = "/", Includes = [_temp.Combine("data", "db")] });

        restore.StatusCode.Should().Be(HttpStatusCode.OK, await restore.Content.ReadAsStringAsync());
        File.ReadAllBytes(_temp.Combine("data", "db", "table.bin")).Should().Equal(original);
        new AuditLog(_temp.Combine("disk-audit.jsonl")).ReadAll().Select(e => (e.Action, e.Decision))
            .Should().Equal(("job.backup", AuditDecision.Accepted), ("job.restore", AuditDecision.Accepted));
    }

    [Fact]
    public async Task A_restore_to_the_root_is_refused_when_any_include_leaves_the_restore_roots()
    {
        string[][] unsafeIncludes =
        [
            [],
            [_temp.Combine("data", "db"), "/etc"],
            [_temp.Combine("data")],
            [_temp.Combine("data", "db", "..", "..", "ca")],
            [_temp.Combine("data", "db") + "/*"],
            [" " + _temp.Combine("data", "db")],
        ];
        foreach (var includes in unsafeIncludes)
        {
            using var restore = await Post("/v1/jobs/restore", Job(Token("sys-a", JobDirection.Restore, "x")) with { Target = "/", Includes = includes });
            restore.StatusCode.Should().Be(HttpStatusCode.BadRequest, string.Join(", ", includes));
            (await restore.Content.ReadAsStringAsync()).Should().Contain("not inside the configured restore roots");
        }

        new AuditLog(_temp.Combine("disk-audit.jsonl")).ReadAll().Should().HaveCount(unsafeIncludes.Length)
            .And.OnlyContain(e => e.Action == "job.restore" && e.Decision == AuditDecision.Refused);
    }

    [Fact]
    public async Task A_media_agent_refusal_is_passed_back_and_audited()
    {
        using var backup = await Post("/v1/jobs/backup", Job(Token("sys-b", JobDirection.Backup)) with { Paths = [_temp.Combine("data")] });
        backup.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await backup.Content.ReadAsStringAsync()).Should().Contain("WrongSystem");
        new AuditLog(_temp.Combine("disk-audit.jsonl")).ReadAll().Should().ContainSingle().Which.Decision.Should().Be(AuditDecision.Refused);
    }

    [Fact]
    public async Task A_replace_restore_removes_what_the_snapshot_does_not_hold_below_the_root_and_nothing_else()
    {
        var db = _temp.Combine("data", "db");
        using var backup = await Post("/v1/jobs/backup", Job(Token("sys-a", JobDirection.Backup)) with { Paths = [db] });
        backup.StatusCode.Should().Be(HttpStatusCode.OK, await backup.Content.ReadAsStringAsync());
        var snapshot = (await backup.Content.ReadFromJsonAsync<BackupOutcome>(JsonSerializerOptions.Web))!.Snapshot.Id;
        var original = File.ReadAllBytes(Path.Combine(db, "table.bin"));

        // After the backup: a changed file, a new file, a new folder, and a link to a file outside the root.
        File.WriteAllText(Path.Combine(db, "table.bin"), "changed");
        File.WriteAllText(Path.Combine(db, "000000010000000000000009"), "newer WAL");
        Directory.CreateDirectory(Path.Combine(db, "pg_wal", "archive_status"));
        File.WriteAllText(Path.Combine(db, "pg_wal", "archive_status", "x.done"), string.Empty);
        var outside = _temp.Combine("outside.txt");
        File.WriteAllText(outside, "not the agent's to remove");
        File.CreateSymbolicLink(Path.Combine(db, "link-out"), outside);

        using var restore = await Post("/v1/jobs/restore", Job(Token("sys-a", JobDirection.Restore, snapshot)) with { Target = "/", Includes = [db], ReplaceRoots = [db] });

        restore.StatusCode.Should().Be(HttpStatusCode.OK, await restore.Content.ReadAsStringAsync());
        Directory.EnumerateFileSystemEntries(db, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Should().BeEquivalentTo(["table.bin", "wal.log"]);
        File.ReadAllBytes(Path.Combine(db, "table.bin")).Should().Equal(original);
        File.ReadAllText(outside).Should().Be("not the agent's to remove");
        new AuditLog(_temp.Combine("disk-audit.jsonl")).ReadAll()[^1].Reason.Should().Contain("3 entries not in the snapshot removed");
    }

    [Fact]
    public async Task A_replace_root_that_is_not_a_restored_path_is_refused_and_nothing_is_touched()
    {
        var db = _temp.Combine("data", "db");
        File.WriteAllText(Path.Combine(db, "extra"), "stays");
        foreach (var root in new[] { _temp.Combine("data"), "/", _temp.Combine("restore") })
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
        var db = _temp.Combine("data", "db");
        RestoreReplacer.Prune(db, new HashSet<string> { _temp.Combine("data", "other", "file") }).Should().BeNull();
        Directory.EnumerateFiles(db).Should().HaveCount(2);
        RestoreReplacer.Prune(db, new HashSet<string> { db, Path.Combine(db, "wal.log") }).Should().Be(1);
        Directory.EnumerateFiles(db).Select(Path.GetFileName).Should().Equal("wal.log");
    }

    private TransferJobRequest Job(string token) => new()
    {
        JobId = "job-1",
        MediaAgentUrl = _media.Address.ToString(),
        MediaAgentId = "media-1",
        Token = token,
    };

    private Task<HttpResponseMessage> Post(string path, TransferJobRequest request) =>
        _controller.PostAsJsonAsync(new Uri(_disk.Address, path), request);

    private string Token(string system, JobDirection direction, string? snapshot = null) =>
        _ca.TokenSigner.Issue("job-1", system, "media-1", direction, TimeSpan.FromHours(1), snapshot);

    private void Enroll(string system, AgentRole role, string folder)
    {
        var token = _ca.EnrollmentTokens.Issue(new SystemIdentity(system, role), TimeSpan.FromMinutes(5));
        var (key, csr) = AgentCredentials.CreateSigningRequest();
        using (key)
        {
            AgentCredentials.Save(_temp.Combine(folder), key, _ca.Enroll(new EnrollmentRequest(token, csr))).Dispose();
        }
    }
}
