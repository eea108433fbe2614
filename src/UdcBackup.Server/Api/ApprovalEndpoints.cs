using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Durable.Failures;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Api.Runs;
using UdcBackup.Server.Auth;
using UdcBackup.Server.Runtime;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Api;

/// <summary>
/// Approvals of a run: <c>GET /api/workflows/{id}/approvals</c> lists what it waits for
/// (<see cref="RunApprovals"/>); <c>POST .../approvals/{node}/approve</c> and <c>/reject</c>
/// (operator) answer one with an optional note. The answer is the run's <c>approve</c> or
/// <c>reject</c> signal naming the node, with the signed-in user as <c>by</c>, so the run's
/// history and its node note say who answered (the caller cannot name someone else), and the
/// access middleware audits it with the user. A node that is not waiting is a 409 and sends
/// nothing; an unknown run a 404; a note over <see cref="MaxNoteLength"/> characters a 400.
/// </summary>
public static class ApprovalEndpoints
{
    public const int MaxNoteLength = 500;

    internal static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/{id}/approvals", List).WithName("ListRunApprovals");
        group.MapPost("/{id}/approvals/{node}/approve", (string id, string node, ApprovalRequest? request, DurableRuntimeService host, HttpContext http, CancellationToken ct) =>
            AnswerAsync(id, node, approve: true, request, host, http, ct)).WithName("ApproveRun");
        group.MapPost("/{id}/approvals/{node}/reject", (string id, string node, ApprovalRequest? request, DurableRuntimeService host, HttpContext http, CancellationToken ct) =>
            AnswerAsync(id, node, approve: false, request, host, http, ct)).WithName("RejectRun");
    }

    private static async Task<Results<Ok<IReadOnlyList<PendingApproval>>, ProblemHttpResult>> List(string id, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await RunApprovals.PendingAsync(host.Runtime.Client, id, cancellationToken));
        }
        catch (WorkflowNotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }
    }

    private static async Task<Results<Accepted<RequestAccepted>, ProblemHttpResult>> AnswerAsync(
        string id, string node, bool approve, ApprovalRequest? request, DurableRuntimeService host, HttpContext http, CancellationToken cancellationToken)
    {
        var note = string.IsNullOrWhiteSpace(request?.Note) ? null : request.Note.Trim();
        if (note is { Length: > MaxNoteLength })
        {
            return Problems.BadRequest($"The note has {note.Length} characters; at most {MaxNoteLength} are kept.");
        }

        var user = http.Features.Get<SignedInUser>() ?? throw new InvalidOperationException("an approval ran without a signed-in user; the access rules must require one");
        try
        {
            var pending = await RunApprovals.PendingAsync(host.Runtime.Client, id, cancellationToken);
            if (!pending.Any(p => p.Node == node))
            {
                var waiting = pending.Count == 0 ? "it waits for no approval now" : $"it waits for: {string.Join(", ", pending.Select(p => p.Node))}";
                return Problems.Conflict($"Run {id} is not waiting for an approval at node '{node}'; {waiting}.");
            }

            var verb = approve ? "approve" : "reject";
            await host.Runtime.Client.SignalAsync(id, verb, new FlowApprovalSignal(Node: node, By: user.Name, Note: note), cancellationToken);
            return TypedResults.Accepted($"/api/workflows/{Uri.EscapeDataString(id)}", new RequestAccepted(id, $"{(approve ? "approved" : "rejected")} {node} as {user.Name}"));
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
