using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Site.Model;
using UdcBackup.Site.Serialization;

namespace UdcBackup.Server.Site;

/// <summary>
/// <c>GET /api/systems</c>: the protected systems of the newest applied site version, for the
/// designer's system and script pickers and the restore wizard. No site applied yet: an empty list.
/// </summary>
public static class SystemEndpoints
{
    public static IEndpointRouteBuilder MapSystemEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/systems", List).WithTags("Site").WithName("ListSystems");
        return routes;
    }

    private static async Task<Ok<List<SystemInfo>>> List(SiteVersionStore store, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(cancellationToken: cancellationToken) is not { } current)
        {
            return TypedResults.Ok(new List<SystemInfo>());
        }

        var site = CanonicalSiteJson.Deserialize(current.Json);
        return TypedResults.Ok(site.Systems.Select(ToInfo).ToList());
    }

    private static SystemInfo ToInfo(ProtectedSystem system)
    {
        var calls = new (string Phase, ScriptCall? Call)[]
            {
                ("preBackup", system.Scripts.PreBackup),
                ("postBackup", system.Scripts.PostBackup),
                ("stopPrograms", system.Scripts.StopPrograms),
                ("startPrograms", system.Scripts.StartPrograms),
            }
            .Where(c => c.Call is not null)
            .Select(c => new SystemScriptCall(c.Phase, c.Call!.Name, c.Call.Args))
            .ToList();
        return new SystemInfo(
            system.Id,
            system.Zone,
            system.ApplicationKind,
            [.. calls.Select(c => c.Name).Distinct(StringComparer.Ordinal)],
            calls,
            system.Tier?.Application,
            system.Tier?.Name,
            [.. system.DataSets.Select(d => d.Name)]);
    }
}
