using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Server.Api;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Api.Runs;
using UdcBackup.Server.Runtime;

namespace UdcBackup.Server.Web;

/// <summary>
/// Server-sent event streams the web app listens to instead of polling:
/// <list type="bullet">
/// <item><c>GET /api/live/workflows?type=&amp;status=&amp;system=&amp;startedAfter=&amp;startedBefore=&amp;limit=</c>: <c>runs</c> events, each the
/// whole filtered list (same shape as <c>GET /api/workflows</c>), sent when it changes.</item>
/// <item><c>GET /api/live/workflows/{id}</c>: <c>run</c> events, each the run's full description
/// (same shape as <c>GET /api/workflows/{id}</c>), sent when its status, history or pending
/// activities (attempts, heartbeats) change, each followed by a <c>nodes</c> event (the node or step
/// states of <see cref="WorkflowNodeStates"/>) when those changed; after the run closes, one
/// <c>end</c> event.</item>
/// <item><c>GET /api/live/schedules</c>: <c>schedules</c> events, the list of schedules.</item>
/// </list>
/// Changes are found by polling the runtime's describe/list on the server (see
/// <see cref="ChangeFeed"/>): every <see cref="RunInterval"/> for one run, every
/// <see cref="ListInterval"/> for lists. Streams end when the controller stops.
/// </summary>
public static class LiveEventEndpoints
{
    /// <summary>How often an open stream of one run re-reads it.</summary>
    public static readonly TimeSpan RunInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How often an open list stream re-reads the list.</summary>
    public static readonly TimeSpan ListInterval = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapLiveEventEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/live").WithTags("Live");
        group.MapGet("/workflows", Runs).WithName("LiveWorkflows");
        group.MapGet("/workflows/{id}", Run).WithName("LiveWorkflow");
        group.MapGet("/schedules", Schedules).WithName("LiveSchedules");
        return routes;
    }

    private static Results<ServerSentEventsResult<object>, ProblemHttpResult> Runs(
        string? type, string? status, string? system, string? startedAfter, string? startedBefore, int? limit, DurableRuntimeService host, IHostApplicationLifetime lifetime, HttpContext http)
    {
        // A live list is always the newest page; older pages are read with GET /api/workflows?after=.
        var (query, error) = RunQuery.Parse(type, status, system, startedAfter, startedBefore, limit, after: null);
        if (query is null)
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "The request is invalid.");
        }

        var stream = ChangeFeed.StreamAsync(
            "runs",
            async ct => (await query.RunAsync(host.Runtime.Client, ct)).Runs.Select(r => r.ToContract()).ToList(),
            list => JsonSerializer.Serialize(list),
            _ => false,
            ListInterval,
            TimeProvider.System,
            Until(http, lifetime));
        return TypedResults.ServerSentEvents(stream);
    }

    private static async Task<Results<ServerSentEventsResult<object>, ProblemHttpResult>> Run(string id, DurableRuntimeService host, IHostApplicationLifetime lifetime, HttpContext http)
    {
        try
        {
            // Checked once up front so an unknown id is a plain 404, not a stream of errors.
            await host.Runtime.Client.DescribeAsync(id, cancellationToken: http.RequestAborted);
        }
        catch (WorkflowNotFoundException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found.");
        }

        var stream = ChangeFeed.StreamAsync(
            "run",
            async ct => (await host.Runtime.Client.DescribeAsync(id, cancellationToken: ct)).ToContract(),
            Fingerprint,
            d => d.CloseTime is not null,
            RunInterval,
            TimeProvider.System,
            Until(http, lifetime));
        return TypedResults.ServerSentEvents(WithNodes(stream, ct => WorkflowNodeStates.ReadAsync(host.Runtime.Client, id, ct), Until(http, lifetime)));
    }

    // After each run snapshot, the node states if they changed: both come from the same poll
    // cadence, so the graph never lags the run by more than one interval.
    private static async IAsyncEnumerable<SseItem<object>> WithNodes(
        IAsyncEnumerable<SseItem<object>> runs,
        Func<CancellationToken, Task<IReadOnlyList<UdcBackup.Workflows.Flow.FlowNodeState>>> nodes,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? last = null;
        await foreach (var item in runs.WithCancellation(cancellationToken))
        {
            yield return item;
            if (item.EventType != "run")
            {
                continue;
            }

            IReadOnlyList<UdcBackup.Workflows.Flow.FlowNodeState>? states = null;
            try
            {
                states = await nodes(cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FailureException or System.Data.Common.DbException)
            {
                // A run whose states cannot be read (e.g. a query on a run that failed replay) still streams its description.
            }

            var print = states is null ? null : JsonSerializer.Serialize(states);
            if (print is not null && print != last)
            {
                last = print;
                yield return new SseItem<object>(states!, "nodes");
            }
        }
    }

    private static ServerSentEventsResult<object> Schedules(DurableRuntimeService host, IHostApplicationLifetime lifetime, HttpContext http)
    {
        var stream = ChangeFeed.StreamAsync(
            "schedules",
            async ct => (await host.Runtime.Schedules.ListAsync(ct)).Select(s => s.ToContract()).ToList(),
            list => JsonSerializer.Serialize(list),
            _ => false,
            ListInterval,
            TimeProvider.System,
            Until(http, lifetime));
        return TypedResults.ServerSentEvents(stream);
    }

    // A long history is not re-serialized every poll: the history only grows, so its length and
    // last event id stand for it; pending activities (attempts, heartbeats) are small.
    private static string Fingerprint(WorkflowDetails d)
    {
        var text = new StringBuilder();
        text.Append(d.Status).Append('|').Append(d.History.Count).Append('|');
        text.Append(d.History.Count > 0 ? d.History[^1].EventId : 0).Append('|');
        text.Append(JsonSerializer.Serialize(d.PendingActivities));
        return text.ToString();
    }

    private static CancellationToken Until(HttpContext http, IHostApplicationLifetime lifetime)
    {
        // Open streams must not hold up a graceful stop for the whole shutdown timeout.
        var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        http.Response.RegisterForDispose(linked);
        return linked.Token;
    }
}
