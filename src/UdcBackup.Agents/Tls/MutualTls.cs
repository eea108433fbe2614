using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using UdcBackup.Agents.Identity;

namespace UdcBackup.Agents.Tls;

/// <summary>
/// Mutual TLS between controller and agents. Servers require a client certificate validated by
/// <see cref="PeerCertificateValidator"/> (clientAuth); clients present their certificate and
/// validate the server's (serverAuth) the same way, optionally requiring a specific peer identity.
/// Host name checks are replaced by identity checks: agents are addressed by IP and their
/// certificates name systems (SAN URIs), not host names. TLS 1.3 only.
/// </summary>
public static class MutualTls
{
    /// <summary>Configures a Kestrel HTTPS endpoint with <paramref name="serverCertificate"/>, requiring client certificates from the CA.</summary>
    public static void ConfigureServer(HttpsConnectionAdapterOptions options, X509Certificate2 serverCertificate, X509Certificate2 caCertificate, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serverCertificate);
        ArgumentNullException.ThrowIfNull(caCertificate);
        time ??= TimeProvider.System;
        options.ServerCertificate = serverCertificate;
        options.SslProtocols = System.Security.Authentication.SslProtocols.Tls13;
        options.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        options.CheckCertificateRevocation = false;
        options.ClientCertificateValidation = (certificate, _, _) =>
            PeerCertificateValidator.Validate(certificate, caCertificate, CertificateProfile.ClientAuthOid, time.GetUtcNow()).Valid;
    }

    /// <summary>
    /// Configures the controller's enrollment listener: no client certificate (the agent has none
    /// yet); the server certificate must be a controller certificate from the CA, which the agent
    /// checks after fetching the CA and comparing it with the fingerprint given with its token.
    /// </summary>
    public static void ConfigureEnrollmentServer(HttpsConnectionAdapterOptions options, X509Certificate2 serverCertificate)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serverCertificate);
        options.ServerCertificate = serverCertificate;
        options.SslProtocols = System.Security.Authentication.SslProtocols.Tls13;
        options.ClientCertificateMode = ClientCertificateMode.NoCertificate;
    }

    /// <summary>
    /// The identity of the client on this connection (Kestrel has already validated the
    /// certificate during the handshake); null if there is none.
    /// </summary>
    public static SystemIdentity? PeerIdentity(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var certificate = context.Connection.ClientCertificate;
        return certificate is null ? null : CertificateProfile.ReadIdentity(certificate);
    }

    /// <summary>
    /// A handler presenting <paramref name="clientCertificate"/> and accepting only servers whose
    /// certificate is from the CA and, when <paramref name="expectedServer"/> is given, names exactly
    /// that system (any role when its role is null).
    /// </summary>
    public static SocketsHttpHandler CreateClientHandler(X509Certificate2 clientCertificate, X509Certificate2 caCertificate, string? expectedServer = null, AgentRole? expectedRole = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(clientCertificate);
        ArgumentNullException.ThrowIfNull(caCertificate);
        time ??= TimeProvider.System;
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
                ClientCertificates = [clientCertificate],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var server = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    var result = PeerCertificateValidator.Validate(server, caCertificate, CertificateProfile.ServerAuthOid, time.GetUtcNow());
                    return result.Valid
                        && (expectedServer is null || result.Identity!.SystemId == expectedServer)
                        && (expectedRole is null || result.Identity!.Role == expectedRole);
                },
            },
        };
    }
}
