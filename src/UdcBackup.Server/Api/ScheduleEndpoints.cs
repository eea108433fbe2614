using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Durable.Schedules;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Server.Runtime;
using UdcBackup.Server.Site;

namespace UdcBackup.Server.Api;

/// <summary>
/// <c>/api/schedules</c>: create, update, list, show, pause, unpause, trigger and delete schedules. A
/// definition is checked completely (id, on create one token like a workflow id, workflow type,
/// exactly one of cron and interval, cron syntax, a cron that fires at least once, time zone,
/// overlap policy, catch-up window) before it is stored; any problem is a 400 and nothing is
/// written. An update (PUT) takes the create body, replaces spec, action and policy and keeps
/// the schedule's history, pause state and note (its paused/note fields are ignored).
/// </summary>
public static class ScheduleEndpoints
{
    public static IEndpointRouteBuilder MapScheduleEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/schedules").WithTags("Schedules");
        group.MapPost("/", Create).WithName("CreateSchedule");
        group.MapPut("/{id}", Update).WithName("UpdateSchedule");
        group.MapGet("/", List).WithName("ListSchedules");
        group.MapGet("/{id}", Show).WithName("ShowSchedule");
        group.MapPost("/{id}/pause", Pause).WithName("PauseSchedule");
        group.MapPost("/{id}/unpause", Unpause).WithName("UnpauseSchedule");
        group.MapPost("/{id}/trigger", Trigger).WithName("TriggerSchedule");
        group.MapDelete("/{id}", Delete).WithName("DeleteSchedule");
        return routes;
    }

    private static async Task<Results<Created<ScheduleInfo>, ProblemHttpResult>> Create(CreateScheduleRequest request, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        // Checked on create only: a schedule made before the rule keeps its id and can still be updated.
        if (!string.IsNullOrWhiteSpace(request.Id) && WorkflowIdRule.ScheduleRefusal(request.Id) is { } idRefusal)
        {
            return Problems.BadRequest(idRefusal);
        }

        var problem = Check(request, host, out var definition);
        if (problem is not null)
        {
            return Problems.BadRequest(problem);
        }

        try
        {
            await host.Runtime.Schedules.CreateAsync(definition!, cancellationToken);
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
        catch (InvalidOperationException e)
        {
            return Problems.Conflict(e.Message);
        }

        var created = await host.Runtime.Schedules.DescribeAsync(definition!.Id, cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/schedules/{Uri.EscapeDataString(definition.Id)}", created.ToContract());
    }

    private static async Task<Results<Ok<ScheduleInfo>, ProblemHttpResult>> Update(string id, CreateScheduleRequest request, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        // The route names the schedule; a body id is optional but must not name another one.
        if (!string.IsNullOrWhiteSpace(request.Id) && request.Id != id)
        {
            return Problems.BadRequest($"The body's id '{request.Id}' does not match the route's '{id}'.");
        }

        var problem = Check(request with { Id = id }, host, out var definition);
        if (problem is not null)
        {
            return Problems.BadRequest(problem);
        }

        try
        {
            await host.Runtime.Schedules.UpdateAsync(definition!, cancellationToken);
        }
        catch (ScheduleNotFoundException e)
        {
            return await NotFoundAsync(id, e, host, cancellationToken);
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }

        return TypedResults.Ok((await host.Runtime.Schedules.DescribeAsync(id, cancellationToken: cancellationToken)).ToContract());
    }

    private static async Task<Ok<List<ScheduleInfo>>> List(DurableRuntimeService host, CancellationToken cancellationToken)
    {
        var schedules = await host.Runtime.Schedules.ListAsync(cancellationToken);
        return TypedResults.Ok(schedules.Select(s => s.ToContract()).ToList());
    }

    private static async Task<Results<Ok<ScheduleInfo>, ProblemHttpResult>> Show(string id, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok((await host.Runtime.Schedules.DescribeAsync(id, cancellationToken: cancellationToken)).ToContract());
        }
        catch (ScheduleNotFoundException e)
        {
            return await NotFoundAsync(id, e, host, cancellationToken);
        }
    }

    private static Task<Results<Ok<ScheduleInfo>, ProblemHttpResult>> Pause(string id, ScheduleNoteRequest? request, DurableRuntimeService host, CancellationToken cancellationToken) =>
        MutateAsync(id, host, () => host.Runtime.Schedules.PauseAsync(id, request?.Note, cancellationToken), cancellationToken);

    private static Task<Results<Ok<ScheduleInfo>, ProblemHttpResult>> Unpause(string id, ScheduleNoteRequest? request, DurableRuntimeService host, CancellationToken cancellationToken) =>
        MutateAsync(id, host, () => host.Runtime.Schedules.UnpauseAsync(id, request?.Note, cancellationToken), cancellationToken);

    private static async Task<Results<Ok<ScheduleTriggered>, ProblemHttpResult>> Trigger(string id, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        try
        {
            var before = (await host.Runtime.Schedules.DescribeAsync(id, 0, cancellationToken)).RecentActions;
            await host.Runtime.Schedules.TriggerAsync(id, cancellationToken: cancellationToken);
            var after = (await host.Runtime.Schedules.DescribeAsync(id, 0, cancellationToken)).RecentActions;

            // Actions are kept newest last; the trigger's is the newest one that was not there before.
            var action = after.Count > 0 && (before.Count == 0 || after[^1] != before[^1]) ? after[^1] : null;
            return action is null
                ? Problems.Conflict($"Schedule '{id}' recorded no action for the trigger.")
                : TypedResults.Ok(new ScheduleTriggered(id, action.Outcome, action.WorkflowId, action.Message));
        }
        catch (ScheduleNotFoundException e)
        {
            return await NotFoundAsync(id, e, host, cancellationToken);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        try
        {
            await host.Runtime.Schedules.DeleteAsync(id, cancellationToken);
            return TypedResults.NoContent();
        }
        catch (ScheduleNotFoundException e)
        {
            return await NotFoundAsync(id, e, host, cancellationToken);
        }
    }

    private static async Task<Results<Ok<ScheduleInfo>, ProblemHttpResult>> MutateAsync(string id, DurableRuntimeService host, Func<Task> change, CancellationToken cancellationToken)
    {
        try
        {
            await change();
            return TypedResults.Ok((await host.Runtime.Schedules.DescribeAsync(id, cancellationToken: cancellationToken)).ToContract());
        }
        catch (ScheduleNotFoundException e)
        {
            return await NotFoundAsync(id, e, host, cancellationToken);
        }
    }

    // The likely slip is a site job's id for its schedule's (job-ID): say which one was meant.
    private static async Task<ProblemHttpResult> NotFoundAsync(string id, ScheduleNotFoundException e, DurableRuntimeService host, CancellationToken cancellationToken)
    {
        var ofSiteJob = SiteSchedules.Prefix + id;
        var hint = (await host.Runtime.Schedules.ListAsync(cancellationToken)).Any(s => s.Definition.Id == ofSiteJob)
            ? $" Site job {id} is scheduled as '{ofSiteJob}'."
            : " udc schedule list shows the schedules.";
        return Problems.NotFound(e.Message + hint);
    }

    private static string? Check(CreateScheduleRequest r, DurableRuntimeService host, out ScheduleDefinition? definition)
    {
        definition = null;
        if (string.IsNullOrWhiteSpace(r.Id))
        {
            return "id is required.";
        }

        if (string.IsNullOrWhiteSpace(r.WorkflowType))
        {
            return "workflowType is required.";
        }

        if (StartableWorkflowTypes.Refusal(host.Runtime.WorkflowTypes, r.WorkflowType) is { } refusal)
        {
            return refusal;
        }

        // Checked now, not at every fire: a bad input would fail each run the schedule starts.
        if (WorkflowInputCheck.Refusal(host.Runtime, r.WorkflowType, r.Input) is { } inputRefusal)
        {
            return inputRefusal;
        }

        if ((r.Cron is null) == (r.Interval is null))
        {
            return "Give exactly one of cron and interval.";
        }

        if (r.Interval is { } every && every < TimeSpan.FromSeconds(1))
        {
            return $"interval must be at least 1 second, was {every}.";
        }

        var overlap = ScheduleOverlapPolicy.Skip;
        if (r.OverlapPolicy is not null && (!Enum.TryParse(r.OverlapPolicy, ignoreCase: true, out overlap) || !Enum.IsDefined(overlap) || int.TryParse(r.OverlapPolicy, out _)))
        {
            return $"Unknown overlapPolicy '{r.OverlapPolicy}'. Use one of: {string.Join(", ", Enum.GetNames<ScheduleOverlapPolicy>())}.";
        }

        if (r.CatchupWindow is { } window && window <= TimeSpan.Zero)
        {
            return $"catchupWindow must be positive, was {window}.";
        }

        var spec = new ScheduleSpec
        {
            CronExpressions = r.Cron is null ? [] : [r.Cron],
            Intervals = r.Interval is { } interval ? [new ScheduleIntervalSpec(interval)] : [],
            TimeZone = string.IsNullOrWhiteSpace(r.TimeZone) ? null : r.TimeZone,
        };
        try
        {
            spec.Validate();
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }

        // A valid cron whose day and month never meet (31 2, 30 2) would be stored and never fire.
        if (r.Cron is not null && spec.GetNextFireTime(DateTime.UtcNow) is null)
        {
            return $"Cron expression '{r.Cron}' never fires: its day-of-month and month fields name no date that exists (e.g. 31 2 is February 31).";
        }

        var policy = new SchedulePolicy { Overlap = overlap };
        if (r.CatchupWindow is { } catchup)
        {
            policy = policy with { CatchupWindow = catchup };
        }

        definition = new ScheduleDefinition(r.Id, spec, new ScheduleWorkflowAction(r.WorkflowType, r.Input))
        {
            Policy = policy,
            Paused = r.Paused,
            Note = r.Note,
        };
        return null;
    }
}
