using Microsoft.AspNetCore.Http;
using UdcBackup.Agents.Audit;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;

namespace UdcBackup.Agents.Hosting;

/// <summary>
/// Decides from the peer's certificate identity whether a request may proceed; every refusal is
/// audited here so no endpoint can forget it. A peer without an identity cannot normally reach an
/// endpoint at all (the TLS handshake requires a valid certificate); it is refused as
/// <c>unauthenticated</c> if it ever does.
/// </summary>
public static class PeerAuthorization
{
    /// <summary>Actor name for requests without a certificate identity.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>
    /// Returns the peer's identity when its role is one of <paramref name="roles"/>; otherwise audits
    /// the refusal and returns null (the caller answers 403).
    /// </summary>
    public static SystemIdentity? RequireRole(HttpContext context, AuditLog audit, string action, params AgentRole[] roles)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(roles);
        var identity = MutualTls.PeerIdentity(context);
        if (identity is null)
        {
            audit.Refused(Unauthenticated, action, "no certificate identity");
            return null;
        }

        if (!roles.Contains(identity.Role))
        {
            audit.Refused(identity.ToString(), action, $"role {SystemIdentity.RoleName(identity.Role)} may not {action}");
            return null;
        }

        return identity;
    }
}
