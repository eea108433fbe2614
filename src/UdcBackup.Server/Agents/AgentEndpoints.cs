using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;
using UdcBackup.Server.Configuration;

namespace UdcBackup.Server.Agents;

/// <summary>
/// The controller's agent-facing side. <see cref="AddControllerAgents"/> opens the CA in
/// <c>DATA/ca/</c> (created at first start) and adds the <c>AgentUrls</c> HTTPS listeners, which
/// present the controller's certificate from that CA (TLS 1.3, no client certificate: an
/// enrolling agent has none yet). <see cref="MapAgentEndpoints"/> maps the Agents library's
/// enrollment routes (<c>GET /v1/ca</c>, <c>POST /v1/enroll</c>, what <c>udc agent enroll</c>
/// calls; a single-use token is the credential), <c>GET /api/agents/ca</c> (the CA certificate
/// and its fingerprint, public), and <c>POST /api/agents/tokens</c> (admin: create a single-use
/// enrollment token for one identity). Token creations are audited in the agents' audit log.
/// </summary>
public static class AgentEndpoints
{
    /// <summary>Enrollment tokens live a day unless the operator says otherwise.</summary>
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromDays(1);

    /// <summary>The longest an enrollment token may be valid: it is meant for an agent enrolled soon.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(30);

    /// <summary>Opens the CA and adds the HTTPS listeners for agents.</summary>
    public static WebApplicationBuilder AddControllerAgents(this WebApplicationBuilder builder, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        var identity = ControllerAgentIdentity.Open(settings.DataDirectory);
        builder.Services.AddSingleton(identity);
        if (settings.AgentUrlList.Count > 0)
        {
            builder.WebHost.UseUrls([.. settings.UrlList, .. settings.AgentUrlList]);

            // The slim builder leaves Kestrel's HTTPS address support out; https:// URLs need it.
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => MutualTls.ConfigureEnrollmentServer(https, identity.Certificate)));
        }

        return builder;
    }

    /// <summary>Maps the enrollment routes and the operator's token endpoint.</summary>
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var identity = routes.ServiceProvider.GetRequiredService<ControllerAgentIdentity>();
        // The controller's API writes enums as names; the enrollment answer keeps the Agents
        // library's own wire form (web defaults), which the agent's client reads.
        routes.MapEnrollment(identity.Authority, identity.Audit).WithTags("Agents").AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            return result is IValueHttpResult { Value: EnrollmentResponse response } ? Results.Json(response, JsonSerializerOptions.Web) : result;
        });
        routes.MapGet("/api/agents/ca", () => TypedResults.Ok(new AgentCaInfo(identity.Authority.CertificatePem, identity.CaFingerprint)))
            .WithTags("Agents").WithName("AgentCa");
        routes.MapPost("/api/agents/tokens", CreateToken).WithTags("Agents").WithName("CreateEnrollmentToken");
        return routes;
    }

    private static Results<Created<EnrollmentTokenCreated>, ProblemHttpResult> CreateToken(EnrollmentTokenRequest request, ControllerAgentIdentity identity, ServerSettings settings, IServer server, HttpContext context)
    {
        var role = SystemIdentity.ParseRole(request.Role);
        if (role is null or AgentRole.Controller)
        {
            return Problem($"role '{request.Role}' is not an agent role: use disk or media.");
        }

        if (!SystemIdentity.IsValidId(request.SystemId))
        {
            return Problem($"system id '{request.SystemId}' is invalid: 1-63 characters from a-z 0-9 . _ -, starting with a letter or digit (the site's system or media agent id).");
        }

        var lifetime = request.LifetimeSeconds is int seconds ? TimeSpan.FromSeconds(seconds) : DefaultTokenLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > MaxTokenLifetime)
        {
            return Problem("lifetimeSeconds must be between 1 and 2592000 (30 days).");
        }

        var who = new SystemIdentity(request.SystemId!, role.Value);
        var token = identity.Authority.EnrollmentTokens.Issue(who, lifetime);
        var by = context.User.Identity?.Name ?? "operator";
        identity.Audit.Accepted($"user:{by}", "agent.token.create", $"enrollment token for {who}, valid {lifetime}", who.SystemId);
        var address = AgentEnrollmentUrl.Of(settings, server, context.Request.Host);
        var created = new EnrollmentTokenCreated(token, who.SystemId, SystemIdentity.RoleName(who.Role), DateTimeOffset.UtcNow + lifetime, identity.CaFingerprint, address?.Url, address?.HostFrom);
        return TypedResults.Created("/api/agents/tokens", created);
    }

    private static ProblemHttpResult Problem(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid enrollment token request", detail: detail);
}
