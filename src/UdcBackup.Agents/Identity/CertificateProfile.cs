using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace UdcBackup.Agents.Identity;

/// <summary>
/// The certificate profile of every agent and controller certificate: ECDSA P-256 key, not a CA,
/// key usage digitalSignature, extended key usage clientAuth + serverAuth (every party both dials
/// and listens), SAN URIs <c>udc://system/&lt;id&gt;</c> and <c>udc://role/&lt;role&gt;</c>, subject and
/// authority key identifiers. <see cref="ReadIdentity"/> is the only place an identity is taken
/// from a certificate: exactly one system URI and one role URI, or none at all.
/// </summary>
public static class CertificateProfile
{
    /// <summary>id-kp-serverAuth.</summary>
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>id-kp-clientAuth.</summary>
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private const string SubjectAlternativeNameOid = "2.5.29.17";

    /// <summary>The subject name for an identity (informational only).</summary>
    public static X500DistinguishedName SubjectFor(SystemIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName("UdcBackup");
        builder.AddOrganizationalUnitName(SystemIdentity.RoleName(identity.Role));
        builder.AddCommonName(identity.SystemId);
        return builder.Build();
    }

    /// <summary>Adds the end-entity extensions binding <paramref name="identity"/>.</summary>
    public static void AddEndEntityExtensions(CertificateRequest request, SystemIdentity identity, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(issuer);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid(ClientAuthOid), new Oid(ServerAuthOid) }, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(identity.SystemUri);
        san.AddUri(identity.RoleUri);
        request.CertificateExtensions.Add(san.Build(true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
    }

    /// <summary>
    /// The identity a certificate carries, or null when it has no SAN, several system or role
    /// URIs, or values that are not valid ids/roles.
    /// </summary>
    public static SystemIdentity? ReadIdentity(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var san = certificate.Extensions[SubjectAlternativeNameOid];
        if (san is null)
        {
            return null;
        }

        var systems = new List<string>();
        var roles = new List<string>();
        try
        {
            foreach (var uri in ReadUris(san.RawData))
            {
                if (uri.StartsWith(SystemIdentity.SystemUriPrefix, StringComparison.Ordinal))
                {
                    systems.Add(uri[SystemIdentity.SystemUriPrefix.Length..]);
                }
                else if (uri.StartsWith(SystemIdentity.RoleUriPrefix, StringComparison.Ordinal))
                {
                    roles.Add(uri[SystemIdentity.RoleUriPrefix.Length..]);
                }
            }
        }
        catch (AsnContentException)
        {
            return null;
        }

        if (systems.Count != 1 || roles.Count != 1 || !SystemIdentity.IsValidId(systems[0]))
        {
            return null;
        }

        var role = SystemIdentity.ParseRole(roles[0]);
        return role is null ? null : new SystemIdentity(systems[0], role.Value);
    }

    /// <summary>Random positive 128-bit serial number.</summary>
    public static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }

    private static List<string> ReadUris(byte[] sanDer)
    {
        // GeneralNames ::= SEQUENCE OF GeneralName; uniformResourceIdentifier is [6] IA5String.
        var uris = new List<string>();
        var reader = new AsnReader(sanDer, AsnEncodingRules.DER);
        var names = reader.ReadSequence();
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        while (names.HasData)
        {
            if (names.PeekTag().HasSameClassAndValue(uriTag))
            {
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }

        return uris;
    }
}
