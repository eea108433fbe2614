using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UdcBackup.Agents.Tokens;

namespace UdcBackup.Agents.Identity;

/// <summary>
/// The controller's small certificate authority. On first use it creates, in its folder (mode
/// 0700): a self-signed ECDSA P-256 CA certificate (<c>ca.crt.pem</c>, 10 years, path length 0) with
/// its key (<c>ca.key.pem</c>, 0600), and the token-signing key (<c>token-signing.key.pem</c>, 0600);
/// later it loads them. Enrollment redeems a single-use token (which fixes the identity, so an
/// agent cannot choose who it is), checks the CSR's signature and key (ECDSA P-256 or P-384), and
/// issues a certificate with the profile of <see cref="CertificateProfile"/> for the CSR's public
/// key; the agent's private key never leaves the agent. The CSR is checked before the token is
/// spent, so a malformed request does not burn a valid token.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private const string CertificateFile = "ca.crt.pem";
    private const string KeyFile = "ca.key.pem";
    private const string TokenKeyFile = "token-signing.key.pem";
    private const string TokensFile = "enrollment-tokens.json";
    private static readonly TimeSpan BackdateForSkew = TimeSpan.FromMinutes(5);

    private readonly X509Certificate2 _certificateWithKey;
    private readonly ECDsa _tokenKey;
    private readonly TimeProvider _time;

    private CertificateAuthority(string folder, X509Certificate2 certificateWithKey, ECDsa tokenKey, TimeProvider time)
    {
        Folder = folder;
        _certificateWithKey = certificateWithKey;
        _tokenKey = tokenKey;
        _time = time;
        Certificate = X509CertificateLoader.LoadCertificate(certificateWithKey.RawData);
        EnrollmentTokens = new FileEnrollmentTokenStore(Path.Combine(folder, TokensFile), time);
        TokenSigner = new JobTokenSigner(tokenKey, time);
    }

    /// <summary>The CA folder.</summary>
    public string Folder { get; }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate in PEM, as distributed to agents.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Single-use enrollment tokens.</summary>
    public FileEnrollmentTokenStore EnrollmentTokens { get; }

    /// <summary>Mints job tokens with the controller's token-signing key.</summary>
    public JobTokenSigner TokenSigner { get; }

    /// <summary>Lifetime of issued agent certificates (capped at the CA's own expiry).</summary>
    public TimeSpan CertificateLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Loads the CA from <paramref name="folder"/>, creating it on first use.</summary>
    public static CertificateAuthority CreateOrOpen(string folder, string name = "UdcBackup controller CA", TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        time ??= TimeProvider.System;
        folder = Path.GetFullPath(folder);
        var certPath = Path.Combine(folder, CertificateFile);
        var keyPath = Path.Combine(folder, KeyFile);
        var tokenKeyPath = Path.Combine(folder, TokenKeyFile);
        if (!File.Exists(certPath))
        {
            SecureFile.CreatePrivateDirectory(folder);
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(new X500DistinguishedName($"CN={EscapeCn(name)}, O=UdcBackup"), caKey, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            var now = time.GetUtcNow();
            using var ca = request.CreateSelfSigned(now - BackdateForSkew, now.AddYears(10));
            using var tokenKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

            // Keys first, certificate last: the certificate's presence marks a complete CA.
            SecureFile.WritePrivateText(keyPath, caKey.ExportPkcs8PrivateKeyPem());
            SecureFile.WritePrivateText(tokenKeyPath, tokenKey.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(certPath, ca.ExportCertificatePem());
        }

        var loaded = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        var signing = ECDsa.Create();
        signing.ImportFromPem(File.ReadAllText(tokenKeyPath));
        return new CertificateAuthority(folder, loaded, signing, time);
    }

    /// <summary>Redeems the token and issues the certificate for the CSR; refusals raise <see cref="EnrollmentRefusedException"/>.</summary>
    public EnrollmentResponse Enroll(EnrollmentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var csr = ParseSigningRequest(request.CertificateSigningRequestPem);
        var identity = EnrollmentTokens.Redeem(request.Token);
        using var certificate = Issue(csr.PublicKey, identity);
        return new EnrollmentResponse(identity.SystemId, identity.Role, certificate.ExportCertificatePem(), CertificatePem, TokenSigner.PublicKeyPem);
    }

    /// <summary>Issues a certificate for a PEM CSR without a token (for the controller's own use).</summary>
    public X509Certificate2 IssueForSigningRequest(string csrPem, SystemIdentity identity) =>
        Issue(ParseSigningRequest(csrPem).PublicKey, identity);

    /// <summary>Generates a key and issues a certificate for it (the controller's own TLS identity).</summary>
    public X509Certificate2 IssueWithNewKey(SystemIdentity identity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=unused", key, HashAlgorithmName.SHA256);
        using var certificate = Issue(request.PublicKey, identity);
        return X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        _certificateWithKey.Dispose();
        Certificate.Dispose();
        _tokenKey.Dispose();
    }

    private X509Certificate2 Issue(PublicKey publicKey, SystemIdentity identity)
    {
        var request = new CertificateRequest(CertificateProfile.SubjectFor(identity), publicKey, HashAlgorithmName.SHA256);
        CertificateProfile.AddEndEntityExtensions(request, identity, _certificateWithKey);
        var now = _time.GetUtcNow();
        var notAfter = now + CertificateLifetime;
        if (notAfter > _certificateWithKey.NotAfter)
        {
            notAfter = _certificateWithKey.NotAfter;
        }

        return request.Create(_certificateWithKey, now - BackdateForSkew, notAfter, CertificateProfile.NewSerialNumber());
    }

    private static CertificateRequest ParseSigningRequest(string csrPem)
    {
        CertificateRequest csr;
        try
        {
            // Default load options verify the CSR's self-signature: the requester holds the key.
            csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new EnrollmentRefusedException(EnrollmentRefusal.InvalidSigningRequest, $"The certificate signing request is not valid: {ex.Message}");
        }

        using var key = csr.PublicKey.GetECDsaPublicKey();
        if (key is null || key.KeySize is not (256 or 384))
        {
            throw new EnrollmentRefusedException(EnrollmentRefusal.InvalidSigningRequest, "The certificate signing request must carry an ECDSA P-256 or P-384 key");
        }

        return csr;
    }

    private static string EscapeCn(string name) => name.Replace(",", " ", StringComparison.Ordinal).Replace("=", " ", StringComparison.Ordinal);
}
