using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Server.Configuration;

namespace UdcBackup.Server.Api;

/// <summary><c>GET /healthz</c>: answers once the host has started its workers, so a supervisor
/// (or a test) can wait on it instead of sleeping.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", (ServerSettings settings) => Healthz(settings))
            .WithName("Healthz")
            .WithTags("Health");
        return routes;
    }

    private static Ok<HealthReport> Healthz(ServerSettings settings) =>
        TypedResults.Ok(new HealthReport("ok", settings.DataDirectory));
}
