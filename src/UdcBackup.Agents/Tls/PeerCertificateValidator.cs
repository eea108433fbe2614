using System.Security.Cryptography.X509Certificates;
using UdcBackup.Agents.Identity;

namespace UdcBackup.Agents.Tls;

/// <summary>
/// Validates a peer's certificate against the controller's CA as the only trust anchor (the
/// machine's trust store plays no part), at a given time, for a required extended key usage,
/// without revocation lookups (the CA publishes no CRL; a compromised agent is cut off by
/// rotating the CA or by the controller's own deny list), and extracts the identity from the SAN.
/// A certificate that chains but carries no well-formed identity is refused.
/// </summary>
public static class PeerCertificateValidator
{
    /// <summary>Validates <paramref name="certificate"/> for <paramref name="ekuOid"/> at <paramref name="at"/>.</summary>
    public static PeerValidation Validate(X509Certificate2? certificate, X509Certificate2 caCertificate, string ekuOid, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(caCertificate);
        if (certificate is null)
        {
            return PeerValidation.Refuse("the peer presented no certificate");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(caCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ekuOid));
        if (!chain.Build(certificate))
        {
            var problems = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct();
            return PeerValidation.Refuse($"the certificate of '{certificate.Subject}' is not valid: {string.Join(", ", problems)}");
        }

        // The chain must end in our CA itself, not just in something the custom store accepted.
        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawData.AsSpan().SequenceEqual(caCertificate.RawData))
        {
            return PeerValidation.Refuse("the certificate does not chain to the controller's CA");
        }

        var identity = CertificateProfile.ReadIdentity(certificate);
        return identity is null
            ? PeerValidation.Refuse($"the certificate of '{certificate.Subject}' carries no UdcBackup identity")
            : new PeerValidation(true, identity, $"valid certificate of {identity}");
    }
}
