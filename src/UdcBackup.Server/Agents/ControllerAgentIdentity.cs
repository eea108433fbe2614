using System.Security.Cryptography.X509Certificates;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Identity;

namespace UdcBackup.Server.Agents;

/// <summary>
/// The controller's side of the agents' trust: the certificate authority in <c>DATA/ca/</c>
/// (created at first start by <see cref="CertificateAuthority.CreateOrOpen"/>: CA key and
/// certificate, token-signing key, enrollment tokens), the controller's own certificate (role
/// <c>controller</c>, system id <see cref="ControllerSystemId"/>) issued from that CA with a fresh
/// key at every start and kept in memory only, and the audit log of enrollments and agent calls
/// (<c>DATA/agents-audit.jsonl</c>). Creation is serialized inside the process, so the HTTP host
/// and the runtime, which both open it, can never write two different CAs on a first start;
/// a folder with a CA certificate is complete (the library writes the keys first).
/// </summary>
public sealed class ControllerAgentIdentity : IDisposable
{
    /// <summary>The system id in the controller's certificate.</summary>
    public const string ControllerSystemId = "controller";

    private static readonly Lock CreationGate = new();

    private ControllerAgentIdentity(CertificateAuthority authority, X509Certificate2 certificate, AuditLog audit)
    {
        Authority = authority;
        Certificate = certificate;
        Audit = audit;
    }

    /// <summary>The CA: issues agent certificates, redeems enrollment tokens, signs job tokens.</summary>
    public CertificateAuthority Authority { get; }

    /// <summary>The controller's certificate with its private key (TLS client to agents, TLS server for enrollment).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Enrollments and refusals, one JSON line each.</summary>
    public AuditLog Audit { get; }

    /// <summary>SHA-256 of the CA certificate, as operators give it to <c>udc agent enroll --ca-sha256</c>.</summary>
    public string CaFingerprint => EnrollmentClient.Fingerprint(Authority.Certificate);

    /// <summary>The CA folder inside a data directory.</summary>
    public static string CaFolder(string dataDirectory) => Path.Combine(dataDirectory, "ca");

    /// <summary>Opens (creating on first use) the CA of <paramref name="dataDirectory"/> and issues the controller's certificate.</summary>
    public static ControllerAgentIdentity Open(string dataDirectory, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        time ??= TimeProvider.System;
        CertificateAuthority authority;
        lock (CreationGate)
        {
            authority = CertificateAuthority.CreateOrOpen(CaFolder(dataDirectory), time: time);
        }

        var certificate = authority.IssueWithNewKey(new SystemIdentity(ControllerSystemId, AgentRole.Controller));
        return new ControllerAgentIdentity(authority, certificate, new AuditLog(Path.Combine(dataDirectory, "agents-audit.jsonl"), time));
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Authority.Dispose();
    }
}
