using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.Schedules;
using UdcBackup.ScriptContract;
using UdcBackup.Server.Api;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Runtime;
using UdcBackup.Server.Site;
using UdcBackup.Workflows.Backup;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Flows;

/// <summary>
/// Running published flows: <c>plan</c> (what a run of a version will do, from the applied
/// site), <c>run</c> (starts workflow <c>flow</c> with the definition, inputs and the applied
/// site), <c>schedule</c> (schedule <c>flow-{id}</c>, edited in place when it exists; each fire
/// prepares its run then: the site as applied at that moment, and the version the schedule pinned
/// or, without one, the newest published version), and <c>GET /api/cron/preview</c>.
/// </summary>
public static class FlowRunEndpoints
{
    private const string FollowsLatest = "flow latest";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static void Map(RouteGroupBuilder group, FlowStore store, ScriptEnvironmentRule environment)
    {
        group.MapPost("/{id}/plan", async Task<Results<Ok<object>, ProblemHttpResult>> (string id, FlowRunRequest? request, SiteVersionStore sites, CancellationToken ct) =>
        {
            var (version, problem) = await VersionAsync(store, id, request?.Version, ct);
            if (version is null)
            {
                return problem!;
            }

            var (site, _) = await FlowSiteSnapshot.LoadAsync(sites, ct);
            var steps = FlowPlanner.Plan(Read(version), site, FlowCatalog.Activities, request?.Inputs);
            return TypedResults.Ok<object>(new { flowId = id, version = version.Version, siteVersion = site?.Version, steps });
        }).WithName("PlanFlow");
        group.MapPost("/{id}/run", async Task<Results<Accepted<object>, ProblemHttpResult>> (string id, FlowRunRequest? request, SiteVersionStore sites, DurableRuntimeService host, CancellationToken ct) =>
        {
            var (version, problem) = await VersionAsync(store, id, request?.Version, ct);
            if (version is null)
            {
                return problem!;
            }

            if (Refused(version, environment) is { } refused)
            {
                return refused;
            }

            var input = await FlowRunActivities.InputAsync(sites, version, request?.Inputs, ct);
            var workflowId = SiteInputs.RunId("flow", id, DateTimeOffset.UtcNow);
            var handle = await host.Runtime.Client.StartWorkflowAsync(FlowWorkflow.TypeName, JsonSerializer.SerializeToElement(input, Json), new Durable.Client.WorkflowStartOptions { Id = workflowId }, ct);
            return TypedResults.Accepted($"/api/workflows/{handle.Id}", (object)new { workflowId = handle.Id, runId = handle.RunId, version = version.Version });
        }).WithName("RunFlow");
        group.MapPost("/{id}/schedule", async Task<Results<Ok<object>, ProblemHttpResult>> (string id, FlowScheduleRequest request, SiteVersionStore sites, DurableRuntimeService host, CancellationToken ct) =>
        {
            var (version, problem) = await VersionAsync(store, id, request.Version, ct);
            if (version is null)
            {
                return problem!;
            }

            if (Refused(version, environment) is { } refused)
            {
                return refused;
            }

            var overlap = ScheduleOverlapPolicy.Skip;
            if (request.Overlap is not null && (!Enum.TryParse(request.Overlap, ignoreCase: true, out overlap) || !Enum.IsDefined(overlap) || int.TryParse(request.Overlap, out _)))
            {
                return FlowEndpoints.Problem(400, $"Unknown overlap '{request.Overlap}'. Use one of: {string.Join(", ", Enum.GetNames<ScheduleOverlapPolicy>())}.");
            }

            var spec = new ScheduleSpec { CronExpressions = [request.Cron ?? string.Empty], TimeZone = string.IsNullOrWhiteSpace(request.TimeZone) ? null : request.TimeZone };
            try
            {
                spec.Validate();
            }
            catch (ArgumentException e)
            {
                return FlowEndpoints.Problem(400, e.Message);
            }

            var note = request.Version is null ? FollowsLatest : $"flow version {version.Version}";
            await SetScheduleAsync(host, id, version, request.Version is null, spec, overlap, note, ct);
            var description = await host.Runtime.Schedules.DescribeAsync(ScheduleId(id), 5, ct);
            return TypedResults.Ok<object>(new { scheduleId = ScheduleId(id), version = version.Version, followsLatest = request.Version is null, next = description.NextFireTimes });
        }).WithName("ScheduleFlow");
        group.MapGet("/{id}/schedule", async Task<Results<Ok<ScheduleInfo>, ProblemHttpResult>> (string id, DurableRuntimeService host, CancellationToken ct) =>
        {
            try
            {
                return TypedResults.Ok((await host.Runtime.Schedules.DescribeAsync(ScheduleId(id), 5, ct)).ToContract());
            }
            catch (ScheduleNotFoundException)
            {
                return FlowEndpoints.Problem(404, $"flow {id} has no schedule");
            }
        }).WithName("ShowFlowSchedule");
    }

    internal static string ScheduleId(string flowId) => $"flow-{flowId}";

    // A version published under a wider ScriptEnvironmentPrefixes is refused before anything starts.
    private static ProblemHttpResult? Refused(StoredFlowVersion version, ScriptEnvironmentRule environment)
    {
        var problems = FlowEnvironmentCheck.Problems(version.Definition, environment);
        return problems.Count == 0 ? null : ScriptEnvironmentRefusal.Problem($"Flow {version.FlowId} version {version.Version}", problems, FlowEnvironmentCheck.Line, environment);
    }

    // The schedule's input names the flow and the pinned version (0 = newest) and asks the run to
    // prepare itself at each fire; the definition is kept only so the schedule reads well.
    private static async Task SetScheduleAsync(DurableRuntimeService host, string id, StoredFlowVersion version, bool followsLatest, ScheduleSpec spec, ScheduleOverlapPolicy overlap, string note, CancellationToken ct)
    {
        var input = new FlowRunInput(id, followsLatest ? 0 : version.Version, Read(version), PrepareAtStart: true);
        var definition = new ScheduleDefinition(ScheduleId(id), spec, new ScheduleWorkflowAction(FlowWorkflow.TypeName, JsonSerializer.SerializeToElement(input, Json)))
        {
            Policy = new SchedulePolicy { Overlap = overlap },
            Note = note,
        };
        try
        {
            await host.Runtime.Schedules.UpdateAsync(definition, ct);
        }
        catch (ScheduleNotFoundException)
        {
            await host.Runtime.Schedules.CreateAsync(definition, ct);
        }
    }

    private static async Task<(StoredFlowVersion? Version, ProblemHttpResult? Problem)> VersionAsync(FlowStore store, string id, int? version, CancellationToken ct)
    {
        var flow = await store.GetAsync(id, ct);
        if (flow is null)
        {
            return (null, FlowEndpoints.Problem(404, $"flow {id} does not exist"));
        }

        var number = version ?? flow.PublishedVersion;
        if (number == 0)
        {
            return (null, FlowEndpoints.Problem(409, $"flow {id} has no published version yet; publish it first"));
        }

        var stored = await store.VersionAsync(id, number, ct);
        return stored is null ? (null, FlowEndpoints.Problem(404, $"flow {id} has no version {number}")) : (stored, null);
    }

    internal static FlowDocument Read(StoredFlowVersion version) =>
        FlowDocumentReader.Read(FlowEndpoints.Json(version.Definition)).Document ?? throw new ApplicationFailureException($"stored version {version.Version} of {version.FlowId} cannot be read", "FlowStoreCorrupt", nonRetryable: true);
}
