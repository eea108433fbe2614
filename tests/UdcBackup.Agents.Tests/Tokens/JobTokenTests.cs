using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using UdcBackup.Agents.Tokens;

namespace UdcBackup.Agents.Tests.Tokens;

public sealed class JobTokenTests : IDisposable
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JobTokenSigner _signer;
    private readonly JobTokenVerifier _verifier;

    public JobTokenTests()
    {
        _signer = new JobTokenSigner(_key, _time);
        _verifier = new JobTokenVerifier([_signer.PublicKeyPem], "media-1", _time);
    }

    public void Dispose() => _key.Dispose();

    private string Backup(string system = "sys-a", string media = "media-1", TimeSpan? lifetime = null) =>
        _signer.Issue("job-1", system, media, JobDirection.Backup, lifetime ?? TimeSpan.FromHours(1));

    [Fact]
    public void A_valid_backup_token_is_accepted_with_its_claims()
    {
        var result = _verifier.Verify(Backup(), "sys-a", JobDirection.Backup);

        result.Accepted.Should().BeTrue(result.Reason);
        result.Claims!.JobId.Should().Be("job-1");
        result.Claims.SystemId.Should().Be("sys-a");
        result.Claims.ExpiresAt.Should().Be(_time.GetUtcNow().AddHours(1));
        result.Claims.Nonce.Should().NotBeNullOrEmpty();
        Backup().Should().NotBe(Backup(), "every token carries its own nonce");
    }

    [Fact]
    public void A_token_for_system_a_presented_by_system_b_is_refused()
    {
        var result = _verifier.Verify(Backup("sys-a"), "sys-b", JobDirection.Backup);
        result.Refusal.Should().Be(JobTokenRefusal.WrongSystem);
        result.Reason.Should().Contain("sys-a").And.Contain("sys-b");
    }

    [Fact]
    public void An_expired_token_is_refused_after_the_skew_allowance()
    {
        var token = Backup(lifetime: TimeSpan.FromMinutes(10));
        _time.Advance(TimeSpan.FromMinutes(11));
        _verifier.Verify(token, "sys-a", JobDirection.Backup).Accepted.Should().BeTrue("a minute past expiry is within the 2 minute skew");
        _time.Advance(TimeSpan.FromMinutes(2));
        _verifier.Verify(token, "sys-a", JobDirection.Backup).Refusal.Should().Be(JobTokenRefusal.Expired);
    }

    [Fact]
    public void A_token_issued_in_the_future_is_refused()
    {
        var token = Backup();
        _time.Advance(TimeSpan.FromMinutes(-5));
        _verifier.Verify(token, "sys-a", JobDirection.Backup).Refusal.Should().Be(JobTokenRefusal.NotYetValid);
    }

    [Fact]
    public void A_tampered_token_is_refused()
    {
        var parts = Backup("sys-a").Split('.');
        var claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"sys-a\"", "\"sys-b\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims))}.{parts[2]}";
        _verifier.Verify(tampered, "sys-b", JobDirection.Backup).Refusal.Should().Be(JobTokenRefusal.BadSignature);

        var noneHeader = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"none","typ":"udc-job","kid":"{{_signer.KeyId}}"}"""));
        _verifier.Verify($"{noneHeader}.{parts[1]}.{parts[2]}", "sys-a", JobDirection.Backup).Refusal.Should().Be(JobTokenRefusal.UnsupportedAlgorithm);

        foreach (var junk in new[] { "", "abc", "a.b", "a.b.c", "!!.??.**", parts[0] + ".." + parts[2] })
        {
            _verifier.Verify(junk, "sys-a", JobDirection.Backup).Refusal.Should().Be(JobTokenRefusal.Malformed, junk);
        }
    }

    [Fact]
    public void A_token_for_the_other_direction_or_another_media_agent_is_refused()
    {
        _verifier.Verify(Backup(), "sys-a", JobDirection.Restore).Refusal.Should().Be(JobTokenRefusal.WrongDirection);
        _verifier.Verify(Backup(media: "media-2"), "sys-a", JobDirection.Backup).Refusal.Should().Be(JobTokenRefusal.WrongAudience);
    }

    [Fact]
    public void A_token_minted_with_another_key_is_refused()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = new JobTokenSigner(otherKey, _time).Issue("job-1", "sys-a", "media-1", JobDirection.Backup, TimeSpan.FromHours(1));
        _verifier.Verify(forged, "sys-a", JobDirection.Backup).Refusal.Should().Be(JobTokenRefusal.UnknownSigningKey);
    }

    [Fact]
    public void A_restore_goes_to_the_owner_unless_an_operator_approved_another_target()
    {
        var own = _signer.Issue("job-2", "sys-a", "media-1", JobDirection.Restore, TimeSpan.FromHours(1), snapshotId: "snap-1");
        _verifier.Verify(own, "sys-a", JobDirection.Restore).Claims!.SnapshotId.Should().Be("snap-1");
        _verifier.Verify(own, "sys-b", JobDirection.Restore).Refusal.Should().Be(JobTokenRefusal.WrongSystem);

        var approved = _signer.Issue("job-3", "sys-a", "media-1", JobDirection.Restore, TimeSpan.FromHours(1), "snap-1", new CrossSystemApproval("operator-ann", "sys-b"));
        var result = _verifier.Verify(approved, "sys-b", JobDirection.Restore);
        result.Accepted.Should().BeTrue(result.Reason);
        result.Claims!.SystemId.Should().Be("sys-a", "the snapshot still belongs to its owner");
        result.Claims.Approval.Should().Be(new CrossSystemApproval("operator-ann", "sys-b"));
        _verifier.Verify(approved, "sys-a", JobDirection.Restore).Refusal.Should().Be(JobTokenRefusal.WrongSystem, "the approval moves the restore to sys-b");
    }

    [Fact]
    public void The_signer_refuses_inconsistent_grants()
    {
        var restoreWithoutSnapshot = () => _signer.Issue("j", "sys-a", "media-1", JobDirection.Restore, TimeSpan.FromHours(1));
        restoreWithoutSnapshot.Should().Throw<ArgumentException>();
        var backupWithApproval = () => _signer.Issue("j", "sys-a", "media-1", JobDirection.Backup, TimeSpan.FromHours(1), null, new CrossSystemApproval("op", "sys-b"));
        backupWithApproval.Should().Throw<ArgumentException>();
        var tooLong = () => _signer.Issue("j", "sys-a", "media-1", JobDirection.Backup, TimeSpan.FromDays(8));
        tooLong.Should().Throw<ArgumentOutOfRangeException>();
        var badSystem = () => _signer.Issue("j", "SYS A", "media-1", JobDirection.Backup, TimeSpan.FromHours(1));
        badSystem.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_verifier_holds_only_the_public_key_and_cannot_mint()
    {
        using var publicOnly = ECDsa.Create();
        publicOnly.ImportFromPem(_signer.PublicKeyPem);
        var mint = () => new JobTokenSigner(publicOnly, _time).Issue("j", "sys-a", "media-1", JobDirection.Backup, TimeSpan.FromHours(1));
        mint.Should().Throw<CryptographicException>();
    }
}
