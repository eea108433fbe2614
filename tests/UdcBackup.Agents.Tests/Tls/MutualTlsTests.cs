using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;

namespace UdcBackup.Agents.Tests.Tls;

/// <summary>A real Kestrel server on loopback speaking HTTP/2 over TLS 1.3 with client certificates.</summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private CertificateAuthority _ca = null!;
    private CertificateAuthority _otherCa = null!;
    private X509Certificate2 _serverCert = null!;
    private WebApplication _app = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _ca = CertificateAuthority.CreateOrOpen(_temp.Combine("ca"));
        _otherCa = CertificateAuthority.CreateOrOpen(_temp.Combine("other"));
        _serverCert = _ca.IssueWithNewKey(new SystemIdentity("media-1", AgentRole.Media));
        _app = await StartServerAsync(_serverCert);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _address = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _serverCert.Dispose();
        _ca.Dispose();
        _otherCa.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task The_server_sees_the_clients_identity_from_its_certificate()
    {
        using var client = _ca.IssueWithNewKey(new SystemIdentity("portal-db", AgentRole.Disk));
        (await GetAsync(client, _ca.Certificate, "media-1")).Should().Be("disk:portal-db over HTTP/2");
    }

    [Fact]
    public async Task A_client_with_a_certificate_from_another_ca_is_refused()
    {
        using var client = _otherCa.IssueWithNewKey(new SystemIdentity("portal-db", AgentRole.Disk));
        var call = () => GetAsync(client, _ca.Certificate, "media-1");
        await call.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused()
    {
        using var handler = MutualTls.CreateClientHandler(_serverCert, _ca.Certificate);
        handler.SslOptions.ClientCertificates = [];
        using var http = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var call = () => http.GetStringAsync(new Uri(_address, "/whoami"));
        await call.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task A_client_refuses_a_server_from_another_ca_or_with_another_identity()
    {
        using var client = _ca.IssueWithNewKey(new SystemIdentity("portal-db", AgentRole.Disk));
        var otherCa = () => GetAsync(client, _otherCa.Certificate, null);
        await otherCa.Should().ThrowAsync<HttpRequestException>();

        var otherServer = () => GetAsync(client, _ca.Certificate, "media-2");
        await otherServer.Should().ThrowAsync<HttpRequestException>();
    }

    private async Task<string> GetAsync(X509Certificate2 clientCertificate, X509Certificate2 trustedCa, string? expectedServer)
    {
        using var handler = MutualTls.CreateClientHandler(clientCertificate, trustedCa, expectedServer, AgentRole.Media);
        using var http = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        return await http.GetStringAsync(new Uri(_address, "/whoami"));
    }

    private async Task<WebApplication> StartServerAsync(X509Certificate2 serverCertificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(https => MutualTls.ConfigureServer(https, serverCertificate, _ca.Certificate));
        }));
        var app = builder.Build();
        app.MapGet("/whoami", (HttpContext context) => $"{MutualTls.PeerIdentity(context)} over {context.Request.Protocol}");
        await app.StartAsync();
        return app;
    }
}
