using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Api.Runs;
using UdcBackup.Server.Runtime;

namespace UdcBackup.Server.Api;

/// <summary>
/// <c>/api/workflows</c>: start, list (filters and paging: <see cref="RunQuery"/>; a further page is
/// announced in a <c>Link: &lt;...&gt;; rel="next"</c> header), describe, signal and cancel workflow runs. Every check that
/// can reject a request runs before the runtime is asked to write anything; the runtime's own
/// refusals (unknown type, input that does not fit, closed run) are mapped to 400/404/409 problem
/// details and also write nothing. The input is checked here first (<see cref="WorkflowInputCheck"/>),
/// so a bad one is refused before a run exists. A start on a closed workflow id answers with the
/// id's earlier run (<see cref="WorkflowStarted.PreviousRun"/>).
/// </summary>
public static class WorkflowEndpoints
{
    public static IEndpointRouteBuilder MapWorkflowEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/workflows").WithTags("Workflows");
        group.MapPost("/", Start).WithName("StartWorkflow");
        group.MapGet("/", List).WithName("ListWorkflows");
        group.MapGet("/{id}", Show).WithName("ShowWorkflow");
        group.MapPost("/{id}/signals/{name}", Signal).WithName("SignalWorkflow");
        group.MapPost("/{id}/cancel", Cancel).WithName("CancelWorkflow");
        ApprovalEndpoints.Map(group);
        routes.MapGet("/api/workflow-types", WorkflowTypes).WithTags("Workflows").WithName("ListWorkflowTypes");
        return routes;
    }

    // Every registered type (runs are listed and filtered by any of them); ?startable=true only
    // those an operator may start or schedule by hand, as the web's Start run form offers. The
    // answer stays a plain array of names, what every client reads; ?signals=true makes each entry
    // {name, signals}, so the run page offers the signals its run's type takes instead of a guess.
    private static Results<Ok<IReadOnlyList<string>>, Ok<List<WorkflowTypeInfo>>> WorkflowTypes(DurableRuntimeService host, bool? startable, bool? signals)
    {
        var types = startable == true
            ? StartableWorkflowTypes.Of(host.Runtime.WorkflowTypes)
            : host.Runtime.WorkflowTypes.Order(StringComparer.Ordinal).ToList();
        return signals == true
            ? TypedResults.Ok(types.Select(t => new WorkflowTypeInfo(t, host.Runtime.SignalNames(t) ?? [])).ToList())
            : TypedResults.Ok(types);
    }

    private static async Task<Results<Created<WorkflowStarted>, ProblemHttpResult>> Start(StartWorkflowRequest request, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Type))
        {
            return Problems.BadRequest("type is required: the workflow type to start, e.g. diag.steps.");
        }

        if (StartableWorkflowTypes.Refusal(host.Runtime.WorkflowTypes, request.Type) is { } refusal)
        {
            return Problems.BadRequest(refusal);
        }

        if (request.Id is { } id && string.IsNullOrWhiteSpace(id))
        {
            return Problems.BadRequest("id must not be blank; leave it out to get a generated one.");
        }

        if (request.Id is { } chosen && WorkflowIdRule.Refusal(chosen) is { } idRefusal)
        {
            return Problems.BadRequest(idRefusal);
        }

        if (WorkflowInputCheck.Refusal(host.Runtime, request.Type, request.Input) is { } inputRefusal)
        {
            return Problems.BadRequest(inputRefusal);
        }

        try
        {
            var handle = await host.Runtime.Client.StartWorkflowAsync(request.Type, request.Input, new WorkflowStartOptions { Id = request.Id }, cancellationToken);
            return TypedResults.Created($"/api/workflows/{Uri.EscapeDataString(handle.Id)}", new WorkflowStarted(handle.Id, handle.RunId, handle.PreviousRun?.ToContract()));
        }
        catch (WorkflowAlreadyStartedException e)
        {
            return Problems.Conflict($"{e.Message} It is still running: wait for it to close (udc workflow show {e.WorkflowId}), cancel it (udc workflow cancel {e.WorkflowId}), or start with another id.");
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    // What the run records as its cancel request, and what its cancelled steps then say ("Workflow
    // cancelled: requested by admin."): the operator's reason, if given, and who asked.
    private static string? CancelReason(string? reason, string? user)
    {
        var given = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        return user is null ? given : given is null ? $"requested by {user}" : $"{given} (requested by {user})";
    }

    // The body stays a plain array (what every client reads); the next page is a Link header.
    private static async Task<Results<Ok<List<WorkflowSummary>>, ProblemHttpResult>> List(
        DurableRuntimeService host, HttpContext http, string? type, string? status, string? system, string? startedAfter, string? startedBefore, int? limit, string? after, CancellationToken cancellationToken)
    {
        var (query, error) = RunQuery.Parse(type, status, system, startedAfter, startedBefore, limit, after);
        if (query is null)
        {
            return Problems.BadRequest(error!);
        }

        var (runs, next) = await query.RunAsync(host.Runtime.Client, cancellationToken);
        if (next is not null)
        {
            var parameters = http.Request.Query.Where(p => !p.Key.Equals("after", StringComparison.OrdinalIgnoreCase))
                .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value.ToString())}")
                .Append($"after={Uri.EscapeDataString(next)}");
            http.Response.Headers.Link = $"</api/workflows?{string.Join('&', parameters)}>; rel=\"next\"";
        }

        return TypedResults.Ok(runs.Select(r => r.ToContract()).ToList());
    }

    private static async Task<Results<Ok<WorkflowDetails>, ProblemHttpResult>> Show(string id, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        try
        {
            var description = await host.Runtime.Client.DescribeAsync(id, cancellationToken: cancellationToken);
            return TypedResults.Ok(description.ToContract());
        }
        catch (WorkflowNotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }
    }

    private static async Task<Results<Accepted<RequestAccepted>, ProblemHttpResult>> Signal(string id, string name, SignalRequest? request, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        try
        {
            await host.Runtime.Client.SignalAsync(id, name, request?.Input, cancellationToken);
            return TypedResults.Accepted($"/api/workflows/{Uri.EscapeDataString(id)}", new RequestAccepted(id, $"signal {name} recorded"));
        }
        catch (WorkflowNotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
        catch (InvalidOperationException e)
        {
            return Problems.Conflict(e.Message);
        }
    }

    // A second request answers 200 with the first (nothing recorded again): asking twice is not two requests.
    private static async Task<Results<Accepted<CancelAccepted>, Ok<CancelAccepted>, ProblemHttpResult>> Cancel(string id, CancelRequest? request, DurableRuntimeService host, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        try
        {
            var recorded = await host.Runtime.Client.CancelAsync(id, CancelReason(request?.Reason, user.Identity?.Name), cancellationToken);
            if (recorded.AlreadyRequested)
            {
                var when = recorded.RequestedAt is { } at ? $" at {at:yyyy-MM-dd HH:mm:ss}Z" : string.Empty;
                var why = recorded.Reason is { Length: > 0 } reason ? $" ({reason})" : string.Empty;
                return TypedResults.Ok(new CancelAccepted(id, $"cancellation was already requested{when}{why}; nothing was recorded again", true, recorded.RequestedAt, recorded.Reason));
            }

            return TypedResults.Accepted($"/api/workflows/{Uri.EscapeDataString(id)}", new CancelAccepted(id, "cancellation recorded", false, recorded.RequestedAt, recorded.Reason));
        }
        catch (WorkflowNotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }
        catch (InvalidOperationException e)
        {
            return Problems.Conflict(e.Message);
        }
    }
}
