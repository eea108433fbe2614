using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Server.Configuration;

namespace UdcBackup.Server.Site;

/// <summary>
/// <c>GET /api/settings/script-environment</c>: the script environment prefixes this controller
/// checks sites and flows with (its <c>ScriptEnvironmentPrefixes</c> setting, by default the disk
/// agents' <c>UDC_</c> and <c>PG</c>), so the designer and the CLI check a script's environment
/// as the controller will before they send it. Any signed-in user may read it.
/// </summary>
public static class ScriptEnvironmentEndpoints
{
    public static IEndpointRouteBuilder MapScriptEnvironmentEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/settings/script-environment", (ServerSettings settings) =>
                TypedResults.Ok(new ScriptEnvironmentSettings([.. settings.ScriptEnvironmentRule().Prefixes])))
            .WithTags("Site")
            .WithName("ShowScriptEnvironmentSettings");
        return routes;
    }
}
