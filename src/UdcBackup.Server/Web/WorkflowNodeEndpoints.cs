using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Durable.Failures;
using UdcBackup.Server.Runtime;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Web;

/// <summary><c>GET /api/workflows/{id}/nodes</c>: the run's node (or step) states, see <see cref="WorkflowNodeStates"/>.</summary>
public static class WorkflowNodeEndpoints
{
    public static IEndpointRouteBuilder MapWorkflowNodeEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/workflows/{id}/nodes", async Task<Results<Ok<IReadOnlyList<FlowNodeState>>, ProblemHttpResult>> (string id, DurableRuntimeService host, CancellationToken ct) =>
        {
            try
            {
                return TypedResults.Ok(await WorkflowNodeStates.ReadAsync(host.Runtime.Client, id, ct));
            }
            catch (WorkflowNotFoundException e)
            {
                return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found.");
            }
        }).WithTags("Workflows").WithName("ShowWorkflowNodes");
        return routes;
    }
}
