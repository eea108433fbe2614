using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Activities.Catalog;
using UdcBackup.Server.Catalog;
using UdcBackup.Server.Configuration;
using UdcBackup.Site.Serialization;

namespace UdcBackup.Server.Site;

/// <summary>
/// <c>GET /api/snapshots?system=ID</c>: the snapshots the controller's catalog holds for a system,
/// newest first, without those retention forgot: what the restore wizard offers. Without
/// <c>system</c> it lists every system of the applied site (none applied: an empty list). A
/// system the catalog does not know has no snapshots, which is an empty list, not an error.
/// </summary>
public static class SnapshotEndpoints
{
    public static IEndpointRouteBuilder MapSnapshotEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/snapshots", List).WithTags("Snapshots").WithName("ListSnapshots");
        routes.MapSystemEndpoints();
        return routes;
    }

    private static async Task<Ok<List<SnapshotInfo>>> List(string? system, ServerSettings settings, SiteVersionStore store, CancellationToken cancellationToken)
    {
        var catalog = new SqliteSnapshotCatalog(OrchestrationCatalog.CatalogPath(settings));
        IEnumerable<string> systems;
        if (!string.IsNullOrWhiteSpace(system))
        {
            systems = [system];
        }
        else if (await store.GetAsync(cancellationToken: cancellationToken) is { } current)
        {
            systems = CanonicalSiteJson.Deserialize(current.Json).Systems.Select(s => s.Id);
        }
        else
        {
            systems = [];
        }

        var snapshots = new List<SnapshotInfo>();
        foreach (var id in systems)
        {
            snapshots.AddRange((await catalog.ListAsync(id, cancellationToken: cancellationToken)).Select(ToInfo));
        }

        return TypedResults.Ok(snapshots.OrderByDescending(s => s.Time).ThenBy(s => s.SnapshotId, StringComparer.Ordinal).ToList());
    }

    private static SnapshotInfo ToInfo(CatalogEntry e) =>
        new(e.SnapshotId, e.SystemId, e.JobId, e.Level, e.TakenAt, e.MediaAgentId, e.Repository, e.Bytes, e.Files);
}
