using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Agents.Audit;

namespace UdcBackup.Agents.Identity;

/// <summary>
/// The controller's enrollment endpoints. <c>GET /v1/ca</c> returns the CA certificate (PEM; public,
/// the agent checks it against the fingerprint it was given). <c>POST /v1/enroll</c> takes an
/// <see cref="EnrollmentRequest"/> and returns an <see cref="EnrollmentResponse"/>, or 403 with the
/// refusal reason. The caller has no certificate yet (that is what it asks for), so they are served
/// on a TLS listener that does not require client certificates. Every enrollment is audited.
/// </summary>
public static class EnrollmentEndpoints
{
    /// <summary>Route of the endpoint.</summary>
    public const string Route = "/v1/enroll";

    /// <summary>Route of the CA certificate.</summary>
    public const string CaRoute = "/v1/ca";

    /// <summary>Maps the endpoint onto <paramref name="endpoints"/>.</summary>
    public static IEndpointConventionBuilder MapEnrollment(this IEndpointRouteBuilder endpoints, CertificateAuthority authority, AuditLog audit)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(audit);
        endpoints.MapGet(CaRoute, () => Results.Text(authority.CertificatePem, "application/x-pem-file"));
        return endpoints.MapPost(Route, (HttpContext context, EnrollmentRequest request) =>
        {
            var from = context.Connection.RemoteIpAddress?.ToString() ?? "unknown address";
            try
            {
                var response = authority.Enroll(request);
                audit.Accepted("unauthenticated", "agent.enroll", $"enrolled {SystemIdentity.RoleName(response.Role)}:{response.SystemId} from {from}", response.SystemId);
                return Results.Json(response);
            }
            catch (EnrollmentRefusedException ex)
            {
                audit.Refused("unauthenticated", "agent.enroll", $"{ex.Reason} from {from}: {ex.Message}");
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: ex.Reason.ToString(), detail: ex.Message);
            }
        });
    }
}
