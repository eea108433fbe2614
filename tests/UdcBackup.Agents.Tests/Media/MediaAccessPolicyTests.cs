using System.Security.Cryptography;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tokens;

namespace UdcBackup.Agents.Tests.Media;

public sealed class MediaAccessPolicyTests : IDisposable
{
    private static readonly SystemIdentity DiskA = new("sys-a", AgentRole.Disk);
    private static readonly SystemIdentity DiskB = new("sys-b", AgentRole.Disk);
    private static readonly SystemIdentity Controller = new("cm-1", AgentRole.Controller);

    private readonly TempFolder _temp = new();
    private readonly ManualTimeProvider _time = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JobTokenSigner _signer;
    private readonly AuditLog _audit;
    private readonly MediaAccessPolicy _policy;
    private readonly Dictionary<string, string> _owners = new() { ["snap-a1"] = "sys-a", ["snap-b1"] = "sys-b" };

    public MediaAccessPolicyTests()
    {
        _signer = new JobTokenSigner(_key, _time);
        _audit = new AuditLog(_temp.Combine("audit.jsonl"), _time);
        _policy = new MediaAccessPolicy(new JobTokenVerifier([_signer.PublicKeyPem], "media-1", _time), _audit);
    }

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    private string? Owner(string snapshot) => _owners.GetValueOrDefault(snapshot);

    private string RestoreToken(string system, string snapshot, CrossSystemApproval? approval = null) =>
        _signer.Issue("job-r", system, "media-1", JobDirection.Restore, TimeSpan.FromHours(1), snapshot, approval);

    [Fact]
    public void A_disk_agent_backs_up_only_its_own_system_and_every_decision_is_audited()
    {
        var token = _signer.Issue("job-1", "sys-a", "media-1", JobDirection.Backup, TimeSpan.FromHours(1));

        _policy.AuthorizeBackup(DiskA, token).Allowed.Should().BeTrue();
        var stolen = _policy.AuthorizeBackup(DiskB, token);
        stolen.Allowed.Should().BeFalse();
        stolen.Reason.Should().Contain("WrongSystem");
        _policy.AuthorizeBackup(DiskA, null).Reason.Should().Contain("Malformed");

        _audit.ReadAll().Select(e => (e.Actor, e.Decision)).Should().Equal(
            ("disk:sys-a", AuditDecision.Accepted), ("disk:sys-b", AuditDecision.Refused), ("disk:sys-a", AuditDecision.Refused));
    }

    [Fact]
    public void Expired_and_tampered_tokens_are_refused()
    {
        var token = _signer.Issue("job-1", "sys-a", "media-1", JobDirection.Backup, TimeSpan.FromMinutes(5));
        _policy.AuthorizeBackup(DiskA, token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA")).Reason.Should().Contain("BadSignature");
        _time.Advance(TimeSpan.FromMinutes(10));
        _policy.AuthorizeBackup(DiskA, token).Reason.Should().Contain("Expired");
    }

    [Fact]
    public void A_restore_of_as_snapshot_requested_by_b_needs_an_operator_approval()
    {
        _policy.AuthorizeRestore(DiskA, RestoreToken("sys-a", "snap-a1"), Owner).Allowed.Should().BeTrue();
        _policy.AuthorizeRestore(DiskB, RestoreToken("sys-a", "snap-a1"), Owner).Allowed.Should().BeFalse();
        _policy.AuthorizeRestore(DiskB, RestoreToken("sys-b", "snap-a1"), Owner).Reason.Should().Contain("belongs to sys-a");

        var approved = _policy.AuthorizeRestore(DiskB, RestoreToken("sys-a", "snap-a1", new CrossSystemApproval("operator-1", "sys-b")), Owner);
        approved.Allowed.Should().BeTrue();
        approved.Reason.Should().Contain("approved by operator-1");
        _audit.ReadAll()[^1].OnBehalfOf.Should().Be("sys-a");
    }

    [Fact]
    public void A_restore_of_an_unknown_snapshot_is_refused()
    {
        _policy.AuthorizeRestore(DiskA, RestoreToken("sys-a", "snap-zz"), Owner).Reason.Should().Contain("does not exist");
    }

    [Fact]
    public void Disk_agents_cannot_list_or_delete_snapshots_and_only_disk_agents_stream()
    {
        _policy.AuthorizeCatalog(DiskA, MediaOperation.ListSnapshots).Allowed.Should().BeFalse();
        _policy.AuthorizeCatalog(DiskA, MediaOperation.DeleteSnapshots).Allowed.Should().BeFalse();
        _policy.AuthorizeCatalog(Controller, MediaOperation.ListSnapshots).Allowed.Should().BeTrue();
        _policy.AuthorizeCatalog(Controller, MediaOperation.DeleteSnapshots).Allowed.Should().BeTrue();

        var token = _signer.Issue("job-1", "cm-1", "media-1", JobDirection.Backup, TimeSpan.FromHours(1));
        _policy.AuthorizeBackup(Controller, token).Reason.Should().Contain("only disk agents");

        _audit.ReadAll().Where(e => e.Decision == AuditDecision.Refused).Select(e => e.Action)
            .Should().Equal("snapshots.list", "snapshots.delete", "backup.stream");
    }
}
