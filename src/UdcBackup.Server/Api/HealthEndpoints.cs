using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Server.Configuration;
using UdcBackup.Server.Runtime;

namespace UdcBackup.Server.Api;

/// <summary><c>GET /healthz</c>: 200 once the durable runtime has recovered and accepts work, 503
/// before that, so a supervisor (or a test) can wait on it instead of sleeping.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", (ServerSettings settings, DurableRuntimeService runtime) => Healthz(settings, runtime))
            .WithName("Healthz")
            .WithTags("Health");
        return routes;
    }

    private static Results<Ok<HealthReport>, ProblemHttpResult> Healthz(ServerSettings settings, DurableRuntimeService runtime) =>
        runtime.IsReady
            ? TypedResults.Ok(new HealthReport("ok", settings.DataDirectory))
            : Problems.Unavailable("The durable runtime is still recovering executions.");
}
