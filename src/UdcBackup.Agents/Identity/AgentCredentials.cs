using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace UdcBackup.Agents.Identity;

/// <summary>
/// An agent's side of enrollment and its stored credentials. <see cref="CreateSigningRequest"/>
/// makes a fresh ECDSA P-256 key and a CSR for it; after the controller answers, <see cref="Save"/>
/// writes into the agent's folder (0700): <c>agent.key.pem</c> (0600), <c>agent.crt.pem</c>,
/// <c>ca.crt.pem</c> and <c>token-signing.pub.pem</c>. <see cref="Load"/> reads them back and
/// refuses a certificate that was not issued by the stored CA or carries no identity.
/// </summary>
public sealed class AgentCredentials : IDisposable
{
    private const string KeyFile = "agent.key.pem";
    private const string CertificateFile = "agent.crt.pem";
    private const string CaFile = "ca.crt.pem";
    private const string TokenKeyFile = "token-signing.pub.pem";

    private AgentCredentials(X509Certificate2 certificate, X509Certificate2 caCertificate, string tokenSigningPublicKeyPem, SystemIdentity identity)
    {
        Certificate = certificate;
        CaCertificate = caCertificate;
        TokenSigningPublicKeyPem = tokenSigningPublicKeyPem;
        Identity = identity;
    }

    /// <summary>The agent's certificate with its private key (for TLS).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The controller's CA certificate: the only trust anchor.</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>The controller's token-signing public key.</summary>
    public string TokenSigningPublicKeyPem { get; }

    /// <summary>Who this agent is, as its certificate says.</summary>
    public SystemIdentity Identity { get; }

    /// <summary>Creates a key pair and a PEM CSR for it; the caller keeps the key until <see cref="Save"/>.</summary>
    public static (ECDsa Key, string SigningRequestPem) CreateSigningRequest()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=udc-enrollment", key, HashAlgorithmName.SHA256);
        return (key, request.CreateSigningRequestPem());
    }

    /// <summary>Stores the key and the controller's answer, then loads them as credentials.</summary>
    public static AgentCredentials Save(string folder, ECDsa key, EnrollmentResponse response, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(response);
        SecureFile.CreatePrivateDirectory(folder);
        SecureFile.WritePrivateText(Path.Combine(folder, KeyFile), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(folder, CertificateFile), response.CertificatePem);
        File.WriteAllText(Path.Combine(folder, CaFile), response.CaCertificatePem);
        File.WriteAllText(Path.Combine(folder, TokenKeyFile), response.TokenSigningPublicKeyPem);
        return Load(folder, time);
    }

    /// <summary>Loads stored credentials; throws <see cref="InvalidDataException"/> naming the problem.</summary>
    public static AgentCredentials Load(string folder, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        foreach (var file in new[] { KeyFile, CertificateFile, CaFile, TokenKeyFile })
        {
            if (!File.Exists(Path.Combine(folder, file)))
            {
                throw new InvalidDataException($"{Path.Combine(folder, file)} is missing: enroll the agent first (udc agent enroll)");
            }
        }

        var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(folder, CertificateFile), Path.Combine(folder, KeyFile));
        var ca = X509CertificateLoader.LoadCertificate(X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, CaFile))).RawData);
        var identity = CertificateProfile.ReadIdentity(certificate)
            ?? throw new InvalidDataException($"{Path.Combine(folder, CertificateFile)} carries no UdcBackup identity");
        var check = Tls.PeerCertificateValidator.Validate(certificate, ca, CertificateProfile.ClientAuthOid, (time ?? TimeProvider.System).GetUtcNow());
        if (!check.Valid)
        {
            throw new InvalidDataException($"{Path.Combine(folder, CertificateFile)} is not usable: {check.Reason}");
        }

        return new AgentCredentials(certificate, ca, File.ReadAllText(Path.Combine(folder, TokenKeyFile)), identity);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        CaCertificate.Dispose();
    }
}
