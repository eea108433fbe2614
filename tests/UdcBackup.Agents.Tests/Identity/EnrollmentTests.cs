using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;

namespace UdcBackup.Agents.Tests.Identity;

public sealed class EnrollmentTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _temp.Dispose();

    private CertificateAuthority OpenCa(string name = "ca") => CertificateAuthority.CreateOrOpen(_temp.Combine(name), time: _time);

    [Fact]
    public void The_ca_keeps_its_keys_private_and_reopens_with_the_same_certificate()
    {
        string thumbprint;
        using (var ca = OpenCa())
        {
            thumbprint = ca.Certificate.Thumbprint;
            ca.Certificate.HasPrivateKey.Should().BeFalse("the public copy is what gets handed out");
        }

        File.GetUnixFileMode(_temp.Combine("ca", "ca.key.pem")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(_temp.Combine("ca", "token-signing.key.pem")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(_temp.Combine("ca")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        using var reopened = OpenCa();
        reopened.Certificate.Thumbprint.Should().Be(thumbprint);
    }

    [Fact]
    public void An_agent_enrolls_with_a_token_and_gets_a_certificate_binding_the_tokens_identity_for_its_own_key()
    {
        using var ca = OpenCa();
        var token = ca.EnrollmentTokens.Issue(new SystemIdentity("portal-db", AgentRole.Disk), TimeSpan.FromHours(1));
        var (key, csr) = AgentCredentials.CreateSigningRequest();

        var response = ca.Enroll(new EnrollmentRequest(token, csr));
        using var credentials = AgentCredentials.Save(_temp.Combine("agent"), key, response, _time);

        credentials.Identity.Should().Be(new SystemIdentity("portal-db", AgentRole.Disk));
        credentials.Certificate.HasPrivateKey.Should().BeTrue();
        credentials.Certificate.PublicKey.EncodedKeyValue.RawData.Should().Equal(key.ExportSubjectPublicKeyInfo().AsSpan()[^65..].ToArray());
        File.GetUnixFileMode(_temp.Combine("agent", "agent.key.pem")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        credentials.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority.Should().BeFalse();

        foreach (var eku in new[] { CertificateProfile.ClientAuthOid, CertificateProfile.ServerAuthOid })
        {
            PeerCertificateValidator.Validate(credentials.Certificate, ca.Certificate, eku, _time.GetUtcNow())
                .Identity.Should().Be(credentials.Identity);
        }

        response.TokenSigningPublicKeyPem.Should().Be(ca.TokenSigner.PublicKeyPem);
        File.ReadAllText(_temp.Combine("ca", "enrollment-tokens.json")).Should().NotContain(token, "only the token's hash is stored");
    }

    [Fact]
    public void An_enrollment_token_works_once()
    {
        using var ca = OpenCa();
        var token = ca.EnrollmentTokens.Issue(new SystemIdentity("web-1", AgentRole.Disk), TimeSpan.FromHours(1));
        ca.Enroll(new EnrollmentRequest(token, AgentCredentials.CreateSigningRequest().SigningRequestPem));

        var again = () => ca.Enroll(new EnrollmentRequest(token, AgentCredentials.CreateSigningRequest().SigningRequestPem));
        again.Should().Throw<EnrollmentRefusedException>().Which.Reason.Should().Be(EnrollmentRefusal.TokenAlreadyUsed);
    }

    [Fact]
    public void An_expired_or_unknown_enrollment_token_is_refused()
    {
        using var ca = OpenCa();
        var token = ca.EnrollmentTokens.Issue(new SystemIdentity("web-1", AgentRole.Disk), TimeSpan.FromMinutes(10));
        _time.Advance(TimeSpan.FromMinutes(11));

        var expired = () => ca.Enroll(new EnrollmentRequest(token, AgentCredentials.CreateSigningRequest().SigningRequestPem));
        expired.Should().Throw<EnrollmentRefusedException>().Which.Reason.Should().Be(EnrollmentRefusal.ExpiredToken);

        var unknown = () => ca.Enroll(new EnrollmentRequest("udce1_made-up", AgentCredentials.CreateSigningRequest().SigningRequestPem));
        unknown.Should().Throw<EnrollmentRefusedException>().Which.Reason.Should().Be(EnrollmentRefusal.UnknownToken);
    }

    [Fact]
    public void A_bad_signing_request_is_refused_without_spending_the_token()
    {
        using var ca = OpenCa();
        var token = ca.EnrollmentTokens.Issue(new SystemIdentity("web-1", AgentRole.Disk), TimeSpan.FromHours(1));
        using var rsa = RSA.Create(2048);
        var rsaCsr = new CertificateRequest("CN=x", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();

        foreach (var csr in new[] { "not a csr", rsaCsr, Tamper(AgentCredentials.CreateSigningRequest().SigningRequestPem) })
        {
            var enroll = () => ca.Enroll(new EnrollmentRequest(token, csr));
            enroll.Should().Throw<EnrollmentRefusedException>().Which.Reason.Should().Be(EnrollmentRefusal.InvalidSigningRequest);
        }

        ca.Enroll(new EnrollmentRequest(token, AgentCredentials.CreateSigningRequest().SigningRequestPem)).SystemId.Should().Be("web-1");
    }

    [Fact]
    public void Certificates_from_another_ca_or_out_of_their_validity_are_refused()
    {
        using var ca = OpenCa();
        using var other = OpenCa("other");
        ca.CertificateLifetime = TimeSpan.FromDays(1);
        using var ours = ca.IssueWithNewKey(new SystemIdentity("media-1", AgentRole.Media));
        using var theirs = other.IssueWithNewKey(new SystemIdentity("media-1", AgentRole.Media));
        var now = _time.GetUtcNow();

        PeerCertificateValidator.Validate(ours, ca.Certificate, CertificateProfile.ServerAuthOid, now).Valid.Should().BeTrue();
        PeerCertificateValidator.Validate(theirs, ca.Certificate, CertificateProfile.ServerAuthOid, now).Reason.Should().Contain("not valid").And.Contain("PartialChain", "the other CA is unknown here");
        PeerCertificateValidator.Validate(ours, ca.Certificate, CertificateProfile.ServerAuthOid, now.AddDays(2)).Reason.Should().Contain("NotTimeValid");
        PeerCertificateValidator.Validate(ca.Certificate, ca.Certificate, CertificateProfile.ServerAuthOid, now).Valid.Should().BeFalse("the CA itself names no system");
        PeerCertificateValidator.Validate(null, ca.Certificate, CertificateProfile.ClientAuthOid, now).Reason.Should().Contain("no certificate");
    }

    [Fact]
    public void Identity_is_read_only_from_exactly_one_system_and_one_role_uri()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=media-1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("udc://system/a"));
        san.AddUri(new Uri("udc://system/b"));
        san.AddUri(new Uri("udc://role/disk"));
        request.CertificateExtensions.Add(san.Build());
        using var twoSystems = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        CertificateProfile.ReadIdentity(twoSystems).Should().BeNull();

        using var noSan = new CertificateRequest("CN=media-1", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        CertificateProfile.ReadIdentity(noSan).Should().BeNull("the common name is never trusted");
    }

    [Theory]
    [InlineData("\"Media\"")]
    [InlineData("1")]
    public void The_enrollment_answer_reads_the_role_as_a_name_or_a_number(string role)
    {
        var json = $$"""{"systemId":"media-1","role":{{role}},"certificatePem":"c","caCertificatePem":"a","tokenSigningPublicKeyPem":"k"}""";
        System.Text.Json.JsonSerializer.Deserialize<EnrollmentResponse>(json, System.Text.Json.JsonSerializerOptions.Web)!.Role.Should().Be(AgentRole.Media);
        System.Text.Json.JsonSerializer.Serialize(AgentRole.Media, System.Text.Json.JsonSerializerOptions.Web).Should().Be("\"Media\"");
    }

    private static string Tamper(string csrPem)
    {
        // Flip one bit inside the DER body: the self-signature no longer matches.
        var der = Convert.FromBase64String(string.Concat(csrPem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        der[40] ^= 0x01;
        return PemEncoding.WriteString("CERTIFICATE REQUEST", der);
    }
}
