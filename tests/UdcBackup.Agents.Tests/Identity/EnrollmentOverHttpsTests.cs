using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;

namespace UdcBackup.Agents.Tests.Identity;

/// <summary>The enrollment endpoint on a real Kestrel listener and the agent's pinned client.</summary>
public sealed class EnrollmentOverHttpsTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private CertificateAuthority _ca = null!;
    private AuditLog _audit = null!;
    private WebApplication _app = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _ca = CertificateAuthority.CreateOrOpen(_temp.Combine("ca"));
        _audit = new AuditLog(_temp.Combine("audit.jsonl"));
        var serverCert = _ca.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            l.Protocols = HttpProtocols.Http1AndHttp2;
            l.UseHttps(o => MutualTls.ConfigureEnrollmentServer(o, serverCert));
        }));
        _app = builder.Build();
        _app.MapEnrollment(_ca, _audit);
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _ca.Dispose();
        _temp.Dispose();
    }

    private string Pin => EnrollmentClient.Fingerprint(_ca.Certificate);

    [Fact]
    public async Task An_agent_enrolls_over_https_after_checking_the_pinned_ca()
    {
        var token = _ca.EnrollmentTokens.Issue(new SystemIdentity("portal-db", AgentRole.Disk), TimeSpan.FromMinutes(5));

        using var credentials = await EnrollmentClient.EnrollAsync(_address, token, Pin, _temp.Combine("agent"));

        credentials.Identity.Should().Be(new SystemIdentity("portal-db", AgentRole.Disk));
        using var reloaded = AgentCredentials.Load(_temp.Combine("agent"));
        reloaded.Certificate.Thumbprint.Should().Be(credentials.Certificate.Thumbprint);
        _audit.ReadAll().Should().ContainSingle().Which.Decision.Should().Be(AuditDecision.Accepted);
    }

    [Fact]
    public async Task A_server_not_matching_the_pin_never_receives_the_token()
    {
        var token = _ca.EnrollmentTokens.Issue(new SystemIdentity("portal-db", AgentRole.Disk), TimeSpan.FromMinutes(5));

        var enroll = () => EnrollmentClient.EnrollAsync(_address, token, new string('0', 64), _temp.Combine("agent"));
        (await enroll.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain("the token was not sent");

        _ca.EnrollmentTokens.List().Should().ContainSingle().Which.UsedAt.Should().BeNull("the token was never sent");
        _audit.ReadAll().Should().BeEmpty();
    }

    [Fact]
    public async Task A_server_relaying_the_real_ca_but_holding_another_certificate_never_receives_the_token()
    {
        var token = _ca.EnrollmentTokens.Issue(new SystemIdentity("portal-db", AgentRole.Disk), TimeSpan.FromMinutes(5));
        using var impostorCa = CertificateAuthority.CreateOrOpen(_temp.Combine("impostor"));
        var impostorCert = impostorCa.IssueWithNewKey(new SystemIdentity("cm-1", AgentRole.Controller));
        var tokensSeen = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(o => MutualTls.ConfigureEnrollmentServer(o, impostorCert))));
        await using var impostor = builder.Build();
        impostor.MapGet(EnrollmentEndpoints.CaRoute, () => _ca.CertificatePem);
        impostor.MapPost(EnrollmentEndpoints.Route, () => Interlocked.Increment(ref tokensSeen));
        await impostor.StartAsync();
        var address = new Uri(impostor.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        var enroll = () => EnrollmentClient.EnrollAsync(address, token, Pin, _temp.Combine("agent"));
        await enroll.Should().ThrowAsync<HttpRequestException>();
        tokensSeen.Should().Be(0);
    }

    [Fact]
    public async Task A_reused_token_is_refused_with_its_reason_and_audited()
    {
        var token = _ca.EnrollmentTokens.Issue(new SystemIdentity("portal-db", AgentRole.Disk), TimeSpan.FromMinutes(5));
        (await EnrollmentClient.EnrollAsync(_address, token, Pin, _temp.Combine("agent"))).Dispose();

        var again = () => EnrollmentClient.EnrollAsync(_address, token, Pin, _temp.Combine("agent2"));
        (await again.Should().ThrowAsync<EnrollmentRefusedException>()).Which.Reason.Should().Be(EnrollmentRefusal.TokenAlreadyUsed);
        _audit.ReadAll().Select(e => e.Decision).Should().Equal(AuditDecision.Accepted, AuditDecision.Refused);
    }
}
