using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Activities.Metadata;

namespace UdcBackup.Server.Catalog;

/// <summary>
/// <c>GET /api/activities</c>: the designer's palette, generated from the metadata declared on
/// the registered activity classes; <c>POST /api/activities/{name}/validate</c>: the same input
/// validation the activity runs at start, for validation as the user types.
/// </summary>
public static class ActivityCatalogEndpoints
{
    private static readonly Lazy<ActivityCatalog> Catalog = new(() => ActivityCatalog.FromTypes(OrchestrationCatalog.ActivityTypes));

    public static IEndpointRouteBuilder MapActivityCatalogEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/activities").WithTags("Activities");
        group.MapGet("/", () => TypedResults.Ok(Catalog.Value.Activities)).WithName("ListActivities");
        group.MapGet("/{name}", Results<Ok<ActivityDescriptor>, NotFound> (string name) =>
            Catalog.Value.Find(name) is { } d ? TypedResults.Ok(d) : TypedResults.NotFound()).WithName("ShowActivity");
        group.MapPost("/{name}/validate", (string name, JsonElement input) => TypedResults.Ok(Catalog.Value.Validate(name, input))).WithName("ValidateActivityInput");
        return routes;
    }
}
