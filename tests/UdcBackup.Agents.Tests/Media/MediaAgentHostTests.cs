using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Restore;

namespace UdcBackup.Agents.Tests.Media;

/// <summary>
/// A media agent on loopback with a real archive repository, and disk agents of two systems that
/// stream to and from it with their own certificates and controller-issued job tokens.
/// </summary>
public sealed class MediaAgentHostTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private CertificateAuthority _ca = null!;
    private MediaAgentHost _media = null!;
    private AgentCredentials _diskA = null!;
    private AgentCredentials _diskB = null!;
    private MediaAgentOptions _options = null!;

    public async Task InitializeAsync()
    {
        _ca = CertificateAuthority.CreateOrOpen(_temp.Combine("ca"));
        Enroll("media-1", AgentRole.Media, "media").Dispose();
        _diskA = Enroll("sys-a", AgentRole.Disk, "disk-a");
        _diskB = Enroll("sys-b", AgentRole.Disk, "disk-b");
        File.WriteAllText(_temp.Combine("repo-password"), "correct horse\n");
        ArchiveRepository.Init(_temp.Combine("repo"), "correct horse", kdfIterations: 1000).Dispose();
        _options = new MediaAgentOptions
        {
            ListenAddress = "127.0.0.1",
            Port = 0,
            CredentialsFolder = _temp.Combine("media"),
            RepositoryPath = _temp.Combine("repo"),
            RepositoryPasswordFile = _temp.Combine("repo-password"),
            AuditLogPath = _temp.Combine("media-audit.jsonl"),
        };
        _media = await MediaAgentHost.StartAsync(_options);
    }

    public async Task DisposeAsync()
    {
        await _media.DisposeAsync();
        _diskA.Dispose();
        _diskB.Dispose();
        _ca.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_disk_agent_backs_up_its_data_and_restores_it_byte_for_byte()
    {
        var source = MakeData("data-a");
        using var client = Client(_diskA);

        var backup = await client.BackupAsync([source], Token("sys-a", JobDirection.Backup));
        backup.Snapshot.System.Should().Be("sys-a");
        backup.Snapshot.Tags.Should().Contain("job", "job-1");
        backup.Warnings.Should().BeEmpty();

        var target = _temp.Combine("restored");
        var restored = await client.RestoreAsync(Token("sys-a", JobDirection.Restore, backup.Snapshot.Id), new RestoreOptions { Target = target });
        restored.FilesRestored.Should().Be(3);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Directory.EnumerateFiles(target, Path.GetFileName(file), SearchOption.AllDirectories).Single();
            File.ReadAllBytes(copy).Should().Equal(File.ReadAllBytes(file));
        }
    }

    [Fact]
    public async Task A_restore_reads_only_its_own_snapshot_so_another_snapshots_damaged_manifest_does_not_fail_it()
    {
        using var a = Client(_diskA);
        var kept = (await a.BackupAsync([MakeData("data-a")], Token("sys-a", JobDirection.Backup))).Snapshot.Id;
        using var b = Client(_diskB);
        var other = (await b.BackupAsync([MakeData("data-b")], Token("sys-b", JobDirection.Backup))).Snapshot.Id;
        var otherManifest = Path.Join(_options.RepositoryPath, "snapshots", other);
        var bytes = File.ReadAllBytes(otherManifest);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(otherManifest, bytes);

        var restored = await a.RestoreAsync(Token("sys-a", JobDirection.Restore, kept), new RestoreOptions { Target = _temp.Combine("restored-a") });

        restored.FilesRestored.Should().Be(3);
        var damaged = () => b.RestoreAsync(Token("sys-b", JobDirection.Restore, other), new RestoreOptions { Target = _temp.Combine("restored-b") });
        (await damaged.Should().ThrowAsync<Exception>()).Which.Message.Should().Contain("damaged", "the damaged snapshot itself still fails, named as damaged data");
    }

    [Fact]
    public async Task A_token_for_system_a_used_by_system_b_is_refused_and_audited()
    {
        using var client = Client(_diskB);
        var backup = () => client.BackupAsync([MakeData("data-b")], Token("sys-a", JobDirection.Backup));
        (await backup.Should().ThrowAsync<MediaTransferRefusedException>()).Which.Message.Should().Contain("WrongSystem");
        new AuditLog(_options.AuditLogPath).ReadAll().Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new { Actor = "disk:sys-b", Action = "backup.stream", Decision = AuditDecision.Refused });
    }

    [Fact]
    public async Task B_cannot_restore_as_snapshot_without_an_operator_approval()
    {
        using var a = Client(_diskA);
        var snapshot = (await a.BackupAsync([MakeData("data-a")], Token("sys-a", JobDirection.Backup))).Snapshot.Id;
        using var b = Client(_diskB);

        var unapproved = () => b.RestoreAsync(Token("sys-b", JobDirection.Restore, snapshot), new RestoreOptions { Target = _temp.Combine("b1") });
        (await unapproved.Should().ThrowAsync<MediaTransferRefusedException>()).Which.Message.Should().Contain("belongs to sys-a");
        Directory.Exists(_temp.Combine("b1")).Should().BeFalse();

        var approval = new CrossSystemApproval("operator-1", "sys-b");
        var approvedToken = _ca.TokenSigner.Issue("job-x", "sys-a", "media-1", JobDirection.Restore, TimeSpan.FromHours(1), snapshot, approval);
        (await b.RestoreAsync(approvedToken, new RestoreOptions { Target = _temp.Combine("b2") })).FilesRestored.Should().Be(3);
    }

    [Fact]
    public async Task Disk_agents_cannot_list_or_delete_snapshots_but_the_controller_can()
    {
        using var a = Client(_diskA);
        var snapshot = (await a.BackupAsync([MakeData("data-a")], Token("sys-a", JobDirection.Backup))).Snapshot.Id;

        using var diskHttp = Http(_diskA.Certificate);
        (await diskHttp.GetAsync(new Uri(_media.Address, "/v1/snapshots"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await diskHttp.DeleteAsync(new Uri(_media.Address, $"/v1/snapshots/{snapshot}"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        using var controllerCert = _ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        using var controller = Http(controllerCert);
        var listed = await controller.GetFromJsonAsync<List<SnapshotInfo>>(new Uri(_media.Address, "/v1/snapshots"), JsonSerializerOptions.Web);
        listed!.Select(s => s.Id).Should().Equal(snapshot);
        (await controller.DeleteAsync(new Uri(_media.Address, $"/v1/snapshots/{snapshot}"))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await controller.GetFromJsonAsync<List<SnapshotInfo>>(new Uri(_media.Address, "/v1/snapshots"), JsonSerializerOptions.Web)).Should().BeEmpty();

        new AuditLog(_options.AuditLogPath).ReadAll().Where(e => e.Decision == AuditDecision.Refused)
            .Select(e => (e.Actor, e.Action)).Should().Equal(("disk:sys-a", "snapshots.list"), ("disk:sys-a", "snapshots.delete"));
    }

    private AgentCredentials Enroll(string system, AgentRole role, string folder)
    {
        var token = _ca.EnrollmentTokens.Issue(new SystemIdentity(system, role), TimeSpan.FromMinutes(5));
        var (key, csr) = AgentCredentials.CreateSigningRequest();
        using (key)
        {
            return AgentCredentials.Save(_temp.Combine(folder), key, _ca.Enroll(new EnrollmentRequest(token, csr)));
        }
    }

    private string Token(string system, JobDirection direction, string? snapshot = null) =>
        _ca.TokenSigner.Issue("job-1", system, "media-1", direction, TimeSpan.FromHours(1), snapshot);

    private MediaTransferClient Client(AgentCredentials credentials) => new(credentials, _media.Address, "media-1");

    private HttpClient Http(X509Certificate2 certificate) =>
        new(MutualTls.CreateClientHandler(certificate, _ca.Certificate, "media-1", AgentRole.Media))
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

    private string MakeData(string name)
    {
        var root = _temp.Combine(name);
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllBytes(Path.Combine(root, "big.bin"), RandomNumberGenerator.GetBytes(3 * 1024 * 1024));
        File.WriteAllText(Path.Combine(root, "small.txt"), "hello archive");
        File.WriteAllBytes(Path.Combine(root, "sub", "zeros.bin"), new byte[200_000]);
        return root;
    }
}
