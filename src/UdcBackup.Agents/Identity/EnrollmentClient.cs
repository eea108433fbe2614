using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using UdcBackup.Agents.Tls;

namespace UdcBackup.Agents.Identity;

/// <summary>
/// The agent's side of <c>udc agent enroll --server URL --token T --ca-sha256 HEX</c>. First it
/// fetches the CA certificate (public data, on a connection that carries nothing secret) and
/// checks its SHA-256 against the fingerprint the operator gave. The token is then sent only on a
/// new connection whose server certificate is valid under that CA with the controller role (TLS
/// servers do not send a self-signed root, so the CA cannot be taken from the handshake). Then the
/// agent generates its key, sends the CSR and stores the answer (see <see cref="AgentCredentials"/>). A refusal by the
/// controller raises <see cref="EnrollmentRefusedException"/> with its reason; a server that fails
/// the fingerprint check raises <see cref="HttpRequestException"/> and never sees the token.
/// </summary>
public static class EnrollmentClient
{
    /// <summary>SHA-256 fingerprint (lowercase hex) of a certificate, as given to operators.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    /// <summary>Enrolls and stores the credentials in <paramref name="folder"/>.</summary>
    public static async Task<AgentCredentials> EnrollAsync(Uri server, string token, string caSha256, string folder, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var pin = caSha256.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        if (pin.Length != 64 || !pin.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("The CA fingerprint must be 64 hex digits (SHA-256)", nameof(caSha256));
        }

        time ??= TimeProvider.System;
        using var ca = await FetchPinnedCaAsync(server, pin, cancellationToken);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => IsController(certificate, ca, time),
            },
        };
        using var http = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        var (key, csr) = AgentCredentials.CreateSigningRequest();
        using (key)
        {
            using var response = await http.PostAsJsonAsync(new Uri(server, EnrollmentEndpoints.Route), new EnrollmentRequest(token, csr), cancellationToken);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                var title = problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
                var detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
                var reason = Enum.TryParse<EnrollmentRefusal>(title, out var parsed) ? parsed : EnrollmentRefusal.UnknownToken;
                throw new EnrollmentRefusedException(reason, detail ?? "The controller refused the enrollment");
            }

            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync<EnrollmentResponse>(JsonSerializerOptions.Web, cancellationToken)
                ?? throw new InvalidDataException("The controller sent an empty enrollment response");
            using var answeredCa = X509Certificate2.CreateFromPem(answer.CaCertificatePem);
            if (Fingerprint(answeredCa) != pin)
            {
                throw new InvalidDataException("The controller returned a CA certificate other than the pinned one");
            }

            return AgentCredentials.Save(folder, key, answer, time);
        }
    }

    private static async Task<X509Certificate2> FetchPinnedCaAsync(Uri server, string pin, CancellationToken cancellationToken)
    {
        // Nothing secret travels on this connection and its answer is checked against the pin,
        // so the server is not authenticated here; the token goes only over the strict one.
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            },
        };
        using var http = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        var pem = await http.GetStringAsync(new Uri(server, EnrollmentEndpoints.CaRoute), cancellationToken);
        X509Certificate2 ca;
        try
        {
            using var parsed = X509Certificate2.CreateFromPem(pem);
            ca = X509CertificateLoader.LoadCertificate(parsed.RawData);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"{server} did not return a CA certificate: {ex.Message}", ex);
        }

        var fingerprint = Fingerprint(ca);
        if (fingerprint != pin)
        {
            ca.Dispose();
            throw new InvalidDataException($"The CA certificate of {server} has fingerprint {fingerprint}, not the expected {pin}; the token was not sent");
        }

        return ca;
    }

    private static bool IsController(X509Certificate? certificate, X509Certificate2 ca, TimeProvider time)
    {
        if (certificate is null)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var result = PeerCertificateValidator.Validate(leaf, ca, CertificateProfile.ServerAuthOid, time.GetUtcNow());
        return result.Valid && result.Identity!.Role == AgentRole.Controller;
    }
}
