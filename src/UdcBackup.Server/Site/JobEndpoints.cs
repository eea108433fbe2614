using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Activities.Catalog;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Server.Api.Runs;
using UdcBackup.Server.Catalog;
using UdcBackup.Server.Configuration;
using UdcBackup.Server.Runtime;
using UdcBackup.Site.Planning;
using UdcBackup.Site.Serialization;
using UdcBackup.Site.Validation;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Restore;

namespace UdcBackup.Server.Site;

/// <summary>
/// <c>POST /api/backups</c>, <c>POST /api/restores</c>, <c>GET /api/jobs[/{id}]</c>: start the
/// site's backup and restore runs from the current site version, and follow them. A restore is
/// checked against the snapshot catalog before it starts (unknown snapshot, wrong owner, another
/// target without approval, a selected path outside the system's data sets: 4xx, nothing started);
/// the restore workflow checks the same again. An input the runtime refuses at start (its own
/// problems, <c>IValidatedWorkflowInput</c>) is a 400 naming them, nothing started.
/// Backups and restores whose plan calls a script with a variable the current
/// <c>ScriptEnvironmentPrefixes</c> refuse are 422 with every such variable, nothing started.
/// </summary>
public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/backups", StartBackup).WithTags("Jobs").WithName("StartBackup");
        routes.MapPost("/api/restores", StartRestore).WithTags("Jobs").WithName("StartRestore");
        routes.MapGet("/api/jobs", List).WithTags("Jobs").WithName("ListJobs");
        routes.MapGet("/api/jobs/{id}", Show).WithTags("Jobs").WithName("ShowJob");
        return routes;
    }

    private static async Task<Results<Created<JobStarted>, ProblemHttpResult>> StartBackup(BackupStartRequest request, SiteVersionStore store, DurableRuntimeService host, ServerSettings settings, CancellationToken cancellationToken)
    {
        // A missing field is a malformed request (400), not a job the site lacks (404).
        if (string.IsNullOrWhiteSpace(request.Job))
        {
            return Problem(400, "job is required: the id of the site job to run (udc site show lists them).");
        }

        if (await store.GetAsync(cancellationToken: cancellationToken) is not { } current)
        {
            return Problem(400, "No site has been applied yet: udc site apply FILE.");
        }

        var site = CanonicalSiteJson.Deserialize(current.Json);
        if (site.FindJob(request.Job ?? string.Empty) is null)
        {
            return Problem(404, $"Site version {current.Version} has no job '{request.Job}'. Jobs: {string.Join(", ", site.Jobs.Select(j => j.Id))}.");
        }

        // The site was checked when applied, but the rule may have narrowed since (a restart with
        // other ScriptEnvironmentPrefixes): refuse here rather than after the window opened.
        var rule = settings.ScriptEnvironmentRule();
        if (ScriptEnvironmentCheck.Plan(JobPlanner.PlanBackup(site, request.Job!), rule) is { Count: > 0 } refused)
        {
            return ScriptEnvironmentRefusal.Problem($"Backup job {request.Job} of site version {current.Version}", refused, rule);
        }

        var id = BackupJobInputs.RunId(request.Job!, DateTimeOffset.UtcNow);
        var input = BackupJobInputs.FromSite(site, request.Job!, id, current.Version);
        return await StartAsync(host, BackupJobWorkflow.TypeName, id, input, input.Systems.Select(s => s.SystemId), request.Force, current.Version, cancellationToken);
    }

    private static async Task<Results<Created<JobStarted>, ProblemHttpResult>> StartRestore(
        RestoreStartRequest request, SiteVersionStore store, DurableRuntimeService host, ServerSettings settings, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.System) || string.IsNullOrWhiteSpace(request.Snapshot))
        {
            return Problem(400, $"{(string.IsNullOrWhiteSpace(request.System) ? "system" : "snapshot")} is required: the system whose snapshot to restore and the snapshot (id, prefix or latest).");
        }

        if (await store.GetAsync(cancellationToken: cancellationToken) is not { } current)
        {
            return Problem(400, "No site has been applied yet: udc site apply FILE.");
        }

        var site = CanonicalSiteJson.Deserialize(current.Json);
        var target = string.IsNullOrWhiteSpace(request.To) ? request.System : request.To;
        if (site.FindSystem(request.System ?? string.Empty) is null || site.FindSystem(target ?? string.Empty) is null)
        {
            var unknown = site.FindSystem(request.System ?? string.Empty) is null ? request.System : target;
            var field = unknown == request.System ? "system" : "to";
            return Problem(404, $"Site version {current.Version} has no system '{unknown}' ({field}). Systems: {string.Join(", ", site.Systems.Select(s => s.Id).Order(StringComparer.Ordinal))}.");
        }

        var snapshot = await new SqliteSnapshotCatalog(OrchestrationCatalog.CatalogPath(settings)).FindAsync(request.Snapshot ?? string.Empty, cancellationToken);
        if (snapshot is null)
        {
            return Problem(404, $"Snapshot '{request.Snapshot}' is not in the catalog.");
        }

        if (snapshot.SystemId != request.System)
        {
            return Problem(400, $"Snapshot {snapshot.SnapshotId} belongs to {snapshot.SystemId}, not to {request.System}; use --system {snapshot.SystemId}.");
        }

        if (target != request.System && !request.Approve)
        {
            return Problem(400, $"Snapshot {snapshot.SnapshotId} belongs to {request.System}; restoring it to {target} needs explicit approval (--to {target} --approve). Nothing was started.");
        }

        var id = RestoreInputs.RunId(target!, DateTimeOffset.UtcNow);
        RestoreInput input;
        try
        {
            // The signed-in user is who asked and who approved; a name in the body is only a fallback for hosts without sign-in.
            var signedIn = user.Identity?.Name ?? (string.IsNullOrWhiteSpace(request.Operator) ? "unknown operator" : request.Operator);
            var approvedBy = target != request.System ? signedIn : null;
            var restore = new RestoreRequest(request.System!, target, request.MediaAgent ?? snapshot.MediaAgentId, request.Repository ?? snapshot.Repository);
            input = RestoreInputs.FromSite(site, restore, snapshot.SnapshotId, id, signedIn, approvedBy, string.IsNullOrWhiteSpace(request.Into) ? null : request.Into, request.Paths);
            var rule = settings.ScriptEnvironmentRule();
            if (ScriptEnvironmentCheck.Plan(JobPlanner.PlanRestore(site, restore), rule) is { Count: > 0 } refused)
            {
                return ScriptEnvironmentRefusal.Problem($"The restore of {snapshot.SnapshotId} to {target} (site version {current.Version})", refused, rule);
            }
        }
        catch (ArgumentException ex)
        {
            return Problem(400, ex.Message);
        }

        return await StartAsync(host, RestoreWorkflow.TypeName, id, input, [target!], request.Force, current.Version, cancellationToken);
    }

    private static async Task<Ok<List<JobSummary>>> List(DurableRuntimeService host, int? limit, CancellationToken cancellationToken)
    {
        var all = new List<JobSummary>();
        foreach (var type in JobWorkflowTypes.All)
        {
            var runs = await host.Runtime.Client.ListAsync(new WorkflowListFilter(type, null, Math.Clamp(limit ?? 100, 1, 1000)), cancellationToken);
            all.AddRange(runs.Select(r => new JobSummary(r.WorkflowId, r.WorkflowType, r.Status.ToString(), r.StartTime, r.CloseTime)
            {
                Systems = SystemOutcomes.Of(r.Result)?.Systems,
                SystemsNotOk = SystemOutcomes.Of(r.Result)?.NotOk,
            }));
        }

        return TypedResults.Ok(all.OrderByDescending(j => j.StartTime).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToList());
    }

    private static async Task<Results<Ok<JobDetails>, ProblemHttpResult>> Show(string id, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        WorkflowExecutionDescription run;
        try
        {
            run = await host.Runtime.Client.DescribeAsync(id, cancellationToken: cancellationToken);
        }
        catch (WorkflowNotFoundException)
        {
            return Problem(404, $"There is no job run '{id}': udc jobs list shows them.");
        }

        if (!JobWorkflowTypes.Contains(run.WorkflowType))
        {
            return Problem(404, $"'{id}' is a {run.WorkflowType} run, not a backup or restore: udc workflow show {id}.");
        }

        JsonElement? progress;
        try
        {
            progress = await host.Runtime.Client.QueryAsync(id, "progress", cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FailureException)
        {
            progress = run.Result;
        }

        var transfers = run.PendingActivities
            .Where(a => a.ActivityType.StartsWith("data.stream", StringComparison.Ordinal) && a.HeartbeatDetails is not null)
            .Select(a => a.HeartbeatDetails!.Value)
            .ToList();
        return TypedResults.Ok(new JobDetails(run.WorkflowId, run.WorkflowType, run.Status.ToString(), run.StartTime, run.CloseTime, progress, transfers, run.Failure?.Message));
    }

    private static async Task<Results<Created<JobStarted>, ProblemHttpResult>> StartAsync(DurableRuntimeService host, string type, string id, object input, IEnumerable<string> systems, bool force, int version, CancellationToken cancellationToken)
    {
        try
        {
            var busy = await BusySystems.StartUnlessBusyAsync(host, systems, force, start => { start.Id = id; return host.Runtime.Client.StartWorkflowAsync(type, input, start, cancellationToken); });
            return busy is null ? TypedResults.Created($"/api/jobs/{Uri.EscapeDataString(id)}", new JobStarted(id, type, version)) : Problem(409, busy);
        }
        catch (WorkflowAlreadyStartedException e)
        {
            return Problem(409, $"{e.Message} Start it again.");
        }
        catch (ArgumentException e)
        {
            // The runtime refuses an input that fails its own check (IValidatedWorkflowInput) before
            // it writes anything: what the operator asked for cannot run, so a 400 naming the problems.
            return Problem(400, $"{e.Message} Nothing was started.");
        }
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: status switch
        {
            400 => "The request is invalid.",
            404 => "Not found.",
            _ => "The request conflicts with the current state.",
        });
}
